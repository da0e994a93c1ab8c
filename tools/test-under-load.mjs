// Runs the whole test command while every core is kept busy, the way CI or a laptop
// doing other work runs it: a test that passes only on an idle machine fails here.
// The load is one busy-looping worker thread per core at normal priority (as
// `stress-ng --cpu N` would be), so the tests get about half of each core; it stops
// when the tests end, and the exit code is the test command's.
//   npm run test:under-load [-- <npm script>]   (default: test)
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const script = process.argv[2] ?? 'test';
const cores = availableParallelism();
const hogs = Array.from({ length: cores }, () => new Worker('for (;;) {}', { eval: true }));
console.log(`test:under-load: ${cores} busy threads while npm run ${script} runs`);

const startedAt = Date.now();
const child = spawn('npm', ['run', script], { stdio: 'inherit', env: process.env });
const stop = async (code) => {
  await Promise.all(hogs.map((hog) => hog.terminate()));
  console.log(`test:under-load: npm run ${script} exited ${code} after ${Math.round((Date.now() - startedAt) / 1000)} s`);
  process.exit(code ?? 1);
};
child.on('exit', (code, signal) => void stop(signal ? 1 : code));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
