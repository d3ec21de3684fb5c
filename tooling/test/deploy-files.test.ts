// The deployment files (deploy/) are configuration a user applies as is, so they must agree with
// what the runtime needs and with each other: the capabilities core checks for, the host paths it
// reads, the command and port, the plugins the example config runs and the image installs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(__dirname, '../..');
const read = (f: string) => readFileSync(join(root, 'deploy', f), 'utf8');

type Container = {
  args: string[];
  ports: { containerPort: number; hostPort: number }[];
  securityContext: { privileged: boolean; capabilities: { drop: string[]; add: string[] } };
  volumeMounts: { name: string; mountPath: string }[];
  readinessProbe: { httpGet: { path: string; port: number } };
};
const daemonSet = parse(read('daemonset.yaml')) as {
  kind: string;
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: { hostNetwork: boolean; hostPID: boolean; containers: Container[]; volumes: { name: string; hostPath?: { path: string } }[] };
    };
  };
};
const pod = daemonSet.spec.template.spec;
const container = pod.containers[0];
const example = JSON.parse(read('serve.example.json')) as { plugins: { plugin: string }[] };
/** The Dockerfile's CMD as an argument list, and its default PLUGINS build argument. */
const dockerfile = read('Dockerfile');
const dockerCmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
const dockerPlugins = (/^ARG PLUGINS="([^"]*)"$/m.exec(dockerfile)?.[1] ?? '').split(/\s+/).filter(Boolean);

const option = (args: string[], name: string) => args[args.indexOf(name) + 1];

describe('deployment files', () => {
  it('the DaemonSet grants what core requires (CAP_BPF + CAP_PERFMON) and nothing broad', () => {
    expect(daemonSet.kind).toBe('DaemonSet');
    const caps = container.securityContext.capabilities;
    expect(caps.drop).toEqual(['ALL']);
    expect(caps.add).toEqual(expect.arrayContaining(['BPF', 'PERFMON']));
    expect(caps.add).not.toContain('SYS_ADMIN');
    expect(container.securityContext.privileged).toBe(false);
  });

  it('the DaemonSet mounts the host paths the runtime reads (BTF, tracefs) from the host', () => {
    const hostPathOf = (mountPath: string) => {
      const m = container.volumeMounts.find((v) => v.mountPath === mountPath);
      return pod.volumes.find((v) => v.name === m?.name)?.hostPath?.path;
    };
    // packages/core/src/kernel/btf.ts and features.ts read these.
    expect(hostPathOf('/sys/kernel/btf')).toBe('/sys/kernel/btf');
    expect(hostPathOf('/sys/kernel/tracing')).toBe('/sys/kernel/tracing');
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
  });

  it('command, config path and port agree between the DaemonSet, the image and the scrape annotations', () => {
    expect(container.args).toEqual(dockerCmd);
    expect(container.args.slice(0, 1)).toEqual(['serve']);
    const port = Number(option(container.args, '--listen').split(':').pop());
    expect(container.ports[0]).toMatchObject({ containerPort: port, hostPort: port });
    expect(Number(daemonSet.spec.template.metadata.annotations['prometheus.io/port'])).toBe(port);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port });
    const configDir = dirname(option(container.args, '--config'));
    expect(container.volumeMounts.map((v) => v.mountPath)).toContain(configDir);
  });

  it('the image installs exactly the plugins the example config runs, each a package of this repository', () => {
    const wanted = example.plugins.map((p) => `@nettrace/${p.plugin}`).sort();
    expect([...dockerPlugins].sort()).toEqual(wanted);
    for (const p of example.plugins) expect(existsSync(join(root, 'plugins', p.plugin, 'package.json'))).toBe(true);
  });

  it('the systemd unit grants the same capabilities and serves the same config', () => {
    const unit = read('nettrace.service');
    const ambient = /^AmbientCapabilities=(.*)$/m.exec(unit)?.[1].split(/\s+/) ?? [];
    expect(ambient).toEqual(expect.arrayContaining(['CAP_BPF', 'CAP_PERFMON']));
    expect(/^ExecStart=.* serve --config (\S+)/m.exec(unit)?.[1]).toBe(option(container.args, '--config'));
  });
});
