#!/usr/bin/env node
// Runs a command in a network namespace whose only interface is loopback.
//
// Browser WebRTC tests need it: Chromium gathers ICE candidates on every interface of the
// machine whatever the page signals, so on the host a test call could send packets off the
// machine and find paths the test did not mean to offer. In a namespace with only `lo`,
// 127.0.0.1 is the one address there is. As root this is `unshare --net`; otherwise an
// unprivileged user namespace (`unshare --map-root-user --net`) where the kernel allows one.
//
// usage: node tools/run-in-loopback-netns.mjs <command> [args...]
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node tools/run-in-loopback-netns.mjs <command> [args...]');
  process.exit(2);
}

// interfaces with an address: what Chromium could gather candidates on
const interfaces = Object.keys(networkInterfaces());
if (interfaces.every((name) => name === 'lo')) {
  // already isolated (a nested run, or a CI sandbox without network)
  process.exit(run(command[0], command.slice(1)));
}

const inner = `ip link set lo up && exec "$@"`;
const asRoot = process.getuid?.() === 0;
const attempts = asRoot ? [['--net']] : [['--map-root-user', '--net']];
for (const flags of attempts) {
  const probe = spawnSync('unshare', [...flags, 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
  if (probe.status !== 0) continue;
  process.exit(run('unshare', [...flags, 'sh', '-c', inner, 'sh', ...command]));
}

console.error(
  [
    'cannot create a network namespace with only loopback for the browser WebRTC tests.',
    'Run them as root (CI does), or allow unprivileged user namespaces:',
    '  sudo sysctl -w kernel.unprivileged_userns_clone=1   (Debian)',
    'They need `unshare` (util-linux) and `ip` (iproute2).',
  ].join('\n'),
);
process.exit(1);

function run(file, args) {
  const result = spawnSync(file, args, { stdio: 'inherit' });
  if (result.error) {
    console.error(`${file}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}
