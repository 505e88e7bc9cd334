// Writes the config.toml that flows.e2e.mjs needs (see its header): the
// OpenAI-compatible provider at the mock upstream's base URL, plan JIVE,
// and mock models chosen by name — fast: `cite` (streams an answer citing
// [1] and [2]), big: `drip_ms_40` (streams one word every 40 ms, long
// enough to stop), FREE: `script:<the hostile answer>`.
//
//   node ui/e2e/flows-config.mjs http://127.0.0.1:PORT/v1 > config.toml
import { HOSTILE_ANSWER } from "./hostile.mjs";

const base = process.argv[2];
if (!base || !/^http:\/\/127\.0\.0\.1:\d+\/v1$/.test(base)) {
  process.stderr.write("usage: node flows-config.mjs http://127.0.0.1:PORT/v1\n");
  process.exit(2);
}
// JSON strings of these characters are valid TOML basic strings.
const toml = (s) => JSON.stringify(s);
process.stdout.write(`# The desktop end-to-end flows against the mock upstream.
[router]
plan = "jive"

[router.models]
free = ${toml(`script:${HOSTILE_ANSWER}`)}
fast = "cite"
big = "drip_ms_40"

[gateway]
primary = "custom"

[gateway.custom]
base_url = ${toml(base)}
keyless = true
`);
