// Host-only tests of the harness's pieces: no VM, no download, no root.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bzImagePayload, compressionOf } from '../src/bzimage.js';
import { Channel } from '../src/channel.js';
import { mirrorsFrom, parseDeb822, parseOneLine } from '../src/debian-sources.js';
import { liveTarget } from '../src/host.js';
import { loadMatrix, parseMatrix, selectKernels } from '../src/matrix.js';
import { guestDir } from '../src/paths.js';
import { guestStatus, hiddenInGuest, kernelCmdline, type QemuConfig, qemuArgs } from '../src/qemu.js';
import { Matrix } from '../src/report.js';
import { parseHelperOutput } from '../src/traffic.js';
import { cellOf, describeFailure, parseVerifyLines } from '../src/verify-gate.js';
import { ExecTimeoutError } from '../src/vm.js';

describe('debian sources', () => {
  const deb822 = `Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /nonexistent.gpg

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm

Types: deb
URIs: http://mirror.example/debian-security/
Suites: bookworm-security
Components: main
`;

  it('takes the main and security archives from deb822, ignoring deb-src', () => {
    expect(mirrorsFrom(parseDeb822(deb822))).toEqual({
      main: 'http://mirror.example/debian',
      security: 'http://mirror.example/debian-security',
      // A Signed-By file that does not exist falls back to Debian's keyring.
      signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
    });
  });

  it('reads one-line sources and derives a missing security archive from the main one', () => {
    const entries = parseOneLine('# comment\ndeb [arch=amd64] http://m.example/debian bookworm main\n');
    expect(mirrorsFrom(entries)).toMatchObject({ main: 'http://m.example/debian', security: 'http://m.example/debian-security' });
    expect(mirrorsFrom([])).toBeUndefined();
  });
});

describe('kernel matrix', () => {
  it('has the three Debian kernels with their facts', () => {
    const m = loadMatrix();
    expect(m.kernels.map((k) => k.id)).toEqual(['5.10', '6.1', '6.12']);
    expect(m.kernels.map((k) => k.facts.moduleBtf)).toEqual([false, true, true]);
    expect(m.kernels.map((k) => k.facts.kprobeMulti)).toEqual([false, false, true]);
    expect(m.kernels.map((k) => k.facts.bpfLoop)).toEqual([false, true, true]);
    for (const k of m.kernels) expect(new RegExp(k.fallback.pattern).test(k.pin.package)).toBe(true);
  });

  it('names the bad field of a broken matrix and the ids of an unknown kernel', () => {
    const good = JSON.parse(JSON.stringify({ releases: { b: ['b'] }, bootModules: [], pluginModules: [], kernels: [] }));
    expect(() => parseMatrix(JSON.stringify(good))).toThrow(/kernels must be a non-empty list/);
    const k = { id: '1', release: 'x', pin: { package: 'p', version: 'v' }, fallback: { pattern: 'p' }, facts: {} };
    expect(() => parseMatrix(JSON.stringify({ ...good, kernels: [k] }))).toThrow(/kernels\[0\]\.release must be one of b/);
    expect(() => parseMatrix(JSON.stringify({ ...good, kernels: [{ ...k, release: 'b' }] }))).toThrow(/kernels\[0\]\.facts\.moduleBtf/);
    expect(() => selectKernels('6.1,9.9')).toThrow(/unknown kernel '9.9'.*5\.10, 6\.1, 6\.12/);
    expect(selectKernels(' 6.12 ').map((s) => s.id)).toEqual(['6.12']);
  });
});

describe('bzImage', () => {
  it('finds the compressed payload through the setup header', () => {
    const img = new Uint8Array(8192);
    const view = new DataView(img.buffer);
    img[0x1f1] = 3; // setup sectors: protected-mode code at (3+1)*512
    view.setUint32(0x202, 0x53726448, true);
    view.setUint16(0x206, 0x020f, true);
    view.setUint32(0x248, 100, true);
    view.setUint32(0x24c, 10, true);
    img.set([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 2048 + 100);
    const payload = bzImagePayload(img);
    expect(payload.byteOffset).toBe(2148);
    expect(payload.byteLength).toBe(10);
    expect(compressionOf(payload)).toBe('xz');
  });

  it('refuses what is not a bzImage', () => {
    expect(() => bzImagePayload(new Uint8Array(4096))).toThrow(/HdrS/);
    expect(() => compressionOf(new Uint8Array([1, 2, 3, 4, 5, 6]))).toThrow(/unsupported bzImage compression/);
  });
});

describe('qemu command line', () => {
  const config: QemuConfig = {
    accel: 'tcg',
    vmlinux: '/k/vmlinux',
    initramfs: '/k/init.cpio',
    memoryMb: 1024,
    cpus: 1,
    share: '/w/share,1',
    socket: '/tmp/s.sock',
    guest: { kroot: '/k/root', share: '/w/share', agent: '/r/agent.sh', path: '/usr/bin', expose: [] },
  };

  it('exports the host root read-only, the share read-write, and wires the agent port and debug exit', () => {
    const args = qemuArgs(config).join(' ');
    expect(args).toContain('-accel tcg,thread=multi');
    expect(args).toContain('local,path=/,mount_tag=tkroot,security_model=none,readonly=on');
    expect(args).toContain('local,path=/w/share,,1,mount_tag=tkshare');
    expect(args).toContain('socket,id=tkagent,path=/tmp/s.sock');
    expect(args).toContain('isa-debug-exit,iobase=0xf4');
    // The only NICs are two virtio-net ones on one hub: no backend that could carry a frame out.
    const list = qemuArgs(config);
    const netdevs = list.flatMap((a, i) => (a === '-netdev' ? [list[i + 1]] : []));
    expect(netdevs).toEqual(['hubport,id=tkvnet0,hubid=0', 'hubport,id=tkvnet1,hubid=0']);
    expect(list.filter((a) => a.startsWith('virtio-net-pci,'))).toEqual([
      'virtio-net-pci,netdev=tkvnet0,mac=02:00:00:74:6b:01',
      'virtio-net-pci,netdev=tkvnet1,mac=02:00:00:74:6b:02',
    ]);
    expect(args).not.toMatch(/-nic|user,|tap,|socket,(?!id=tkagent)|bridge,|vhost/);
    expect(qemuArgs({ ...config, accel: 'kvm' })).toContain('host');
  });

  it('names host directories under /tmp or /run for the guest to bind back over its tmpfs', () => {
    expect(hiddenInGuest(['/work/main', '/tmp/ci/repo', '/tmp/ci/repo/test-kernel/.work', '/run/x', '/tmpfoo', '/tmp'])).toEqual([
      '/tmp/ci/repo',
      '/run/x',
    ]);
    expect(kernelCmdline({ ...config, guest: { ...config.guest, expose: ['/tmp/a', '/run/b'] } })).toContain('tk.expose=/tmp/a,/run/b');
    expect(kernelCmdline(config)).not.toContain('tk.expose');
  });

  it('refuses paths the kernel command line would split', () => {
    expect(kernelCmdline(config)).toContain('tk.kroot=/k/root tk.share=/w/share');
    expect(() => kernelCmdline({ ...config, guest: { ...config.guest, kroot: '/a b' } })).toThrow(/move the checkout/);
  });

  it('decodes isa-debug-exit statuses and tells qemu failures apart', () => {
    expect(guestStatus(3)).toBe(0);
    expect(guestStatus(15)).toBe(6);
    expect(guestStatus(1)).toBeUndefined(); // qemu's own error
    expect(guestStatus(0)).toBeUndefined(); // reset / panic with -no-reboot
    expect(guestStatus(null)).toBeUndefined();
  });
});

describe('exec channel', () => {
  it('speaks the agent protocol: ready, overlapping run/done, exit', async () => {
    const sock = path.join(mkdtempSync(path.join(os.tmpdir(), 'tk-unit-')), 'a.sock');
    const channel = await Channel.listen(sock);
    const guest = connect(sock);
    const requests: string[] = [];
    guest.on('data', (d) => requests.push(...d.toString().trim().split('\n')));
    guest.write('ready 6.1.0-test\n');
    expect(await channel.ready).toBe('6.1.0-test');
    const a = channel.request('1', 30);
    const b = channel.request('2', 5);
    await new Promise((r) => setTimeout(r, 50));
    guest.write('done 2 0\ndo');
    guest.write('ne 1 7\n');
    expect(await Promise.all([a, b])).toEqual([7, 0]);
    channel.shutdown();
    await new Promise((r) => setTimeout(r, 50));
    expect(requests).toEqual(['run 1 30', 'run 2 5', 'exit']);
    const pending = channel.request('3', 1);
    guest.destroy();
    await expect(pending).rejects.toThrow(/closed the exec channel/);
    channel.close();
  });
});

describe('verifier gate records', () => {
  const failed = JSON.stringify({
    plugin: 'p1',
    kernel: '6.1.0-56-amd64',
    status: 'failed',
    programs: [
      { program: 'nt_ok', kind: 'kprobe', target: 'ip_rcv', loaded: false, attached: false },
      {
        program: 'nt_bad',
        kind: 'fentry',
        target: 'tun_net_xmit',
        loaded: false,
        attached: false,
        error: 'load failed: Permission denied',
        verifierLog: 'R1 type=scalar expected=ctx\nprocessed 12 insns',
      },
    ],
  });

  it('names kernel, program and the verifier message of a failure', () => {
    const [r] = parseVerifyLines(`noise\n${failed}\n`);
    const text = describeFailure('6.1', r!);
    expect(text).toContain('kernel 6.1: plugin p1: program nt_bad (fentry:tun_net_xmit) did not load: load failed: Permission denied');
    expect(text).toContain('R1 type=scalar expected=ctx');
    expect(text).not.toContain('nt_ok');
    expect(cellOf('6.1', r!).state).toBe('failed');
  });

  it('maps ok and n/a records to cells and rejects foreign lines', () => {
    const ok = {
      plugin: 'p2',
      kernel: 'k',
      status: 'ok',
      programs: [{ program: 'x', kind: 'kprobe', target: 't', loaded: true, attached: true }],
    };
    expect(cellOf('6.1', parseVerifyLines(JSON.stringify(ok))[0]!)).toEqual({ state: 'attached' });
    const na = { plugin: 'p3', kernel: 'k', status: 'n/a', reason: 'no kprobes', programs: [] };
    expect(cellOf('6.1', parseVerifyLines(JSON.stringify(na))[0]!)).toEqual({ state: 'n/a', detail: 'no kprobes' });
    expect(() => parseVerifyLines('{"hello":1}')).toThrow(/not a verify record/);
  });

  it('prints the matrix with reasons as numbered notes', () => {
    const m = new Matrix();
    m.set('(harness)', '6.1', { state: 'ok' });
    m.set('p1', '6.1', { state: 'failed', detail: 'kernel 6.1: nt_bad\nlog line' });
    m.set('p1', '6.12', { state: 'attached' });
    const text = m.render();
    expect(text.split('\n')).toContain('p1               failed [1]  attached');
    expect(text).toContain('[1] kernel 6.1: nt_bad\n    log line');
    expect(m.failed()).toBe(true);
  });
});

describe('guest helpers', () => {
  it('refuse to run outside a test VM', () => {
    const r = spawnSync(path.join(guestDir, 'bin', 'tk-netns'), ['x', '10.1.1'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('runs only inside a test-kernel VM');
  });

  it('are valid POSIX sh', () => {
    for (const f of readdirSync(path.join(guestDir, 'bin'))) {
      execFileSync('sh', ['-n', path.join(guestDir, 'bin', f)]);
    }
    execFileSync('sh', ['-n', path.join(guestDir, 'agent.sh')]);
  });

  it('parse into fields', () => {
    expect(parseHelperOutput('ns=a\nhost_addr=10.1.1.1\nrx_used 6 tx_used 1 calls 7\n')).toEqual({
      ns: 'a',
      host_addr: '10.1.1.1',
      rx_used: '6',
      tx_used: '1',
      calls: '7',
    });
  });
});

describe('live target', () => {
  it('runs host commands with status and kills them at the timeout', async () => {
    const t = liveTarget();
    expect(await t.exec('echo a; echo b >&2; exit 4')).toEqual({ code: 4, stdout: 'a\n', stderr: 'b\n' });
    await expect(t.exec('sleep 5', { timeoutMs: 200 })).rejects.toBeInstanceOf(ExecTimeoutError);
  });
});
