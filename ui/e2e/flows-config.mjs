// Writes the config.toml that flows.e2e.mjs needs (see its header): the
// OpenAI-compatible provider at the mock upstream's base URL, plan JIVE,
// and mock models chosen by name — fast: a script that streams, in three
// chunks, an answer quoting the records-policy fixture and citing [1] and
// [2] (the restart step searches for the quoted words); big: `drip_ms_40`
// (one word every 40 ms, long enough to stop); FREE: `script:<the hostile
// answer>`.
//
//   node ui/e2e/flows-config.mjs http://127.0.0.1:PORT/v1 > config.toml
import { HOSTILE_ANSWER } from "./hostile.mjs";

const base = process.argv[2];
if (!base || !/^http:\/\/127\.0\.0\.1:\d+\/v1$/.test(base)) {
  process.stderr.write("usage: node flows-config.mjs http://127.0.0.1:PORT/v1\n");
  process.exit(2);
}
const FAST_ANSWER = [
  "The Umkhonto-7731 retention period",
  " is forty-two days [1],",
  " after which call recordings are deleted [2].",
];
// JSON strings of these characters are valid TOML basic strings.
const toml = (s) => JSON.stringify(s);
process.stdout.write(`# The desktop end-to-end flows against the mock upstream.
[router]
plan = "jive"

[router.models]
free = ${toml(`script:${HOSTILE_ANSWER}`)}
fast = ${toml(`script:${FAST_ANSWER.join("|")}`)}
big = "drip_ms_40"

[gateway]
primary = "custom"

[gateway.custom]
base_url = ${toml(base)}
keyless = true
`);
