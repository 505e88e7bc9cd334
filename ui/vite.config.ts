// Vite config: React with the React Compiler (the seed's "React Compiler
// instead of hand memoization"), a fixed dev port for `tauri dev`.
import { defineConfig } from "vitest/config";
import react, { reactCompilerPreset } from "@vitejs/plugin-react";
import babel from "@rolldown/plugin-babel";

export default defineConfig({
  // panicThreshold "all_errors": a component the compiler cannot optimise
  // fails the build (and the tests) instead of silently running
  // unmemoised. Opt-outs are explicit ("use no memo", with a reason).
  // Test files are not compiled (the app code they exercise is), which keeps
  // the suite's transform time down.
  plugins: [
    react(),
    babel({
      presets: [reactCompilerPreset({ panicThreshold: "all_errors" })],
      exclude: [/[\/\\]node_modules[\/\\]/, /\.test\.tsx?$/, /\/src\/test\//, /\/src\/ipc\/testing\//],
    }),
  ],
  clearScreen: false,
  server: { port: 1420, strictPort: true, host: "127.0.0.1" },
  build: { target: "safari16", outDir: "dist", emptyOutDir: true },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    // One jsdom per worker thread instead of one per file: the suite runs in
    // about half the time. The setup file resets the DOM, the IPC mocks and
    // the theme after every test, so files cannot see each other's state.
    pool: "threads",
    isolate: false,
    testTimeout: 15_000,
  },
});
