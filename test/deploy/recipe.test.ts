// The container recipe in deploy/: no Docker engine runs here, so the Dockerfile, the compose file and the
// Kubernetes examples are read and checked for what a bank's operations team relies on.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { ROOT } from '../fakes/running-bot.ts';

const read = (f: string) => readFileSync(join(ROOT, 'deploy', f), 'utf8');

interface Stage { from: string; name: string; lines: string[] }
/** The Dockerfile's stages, each with its instructions (continuation lines joined). */
function stages(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const out: Stage[] = [];
  for (const l of lines) {
    const m = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(l);
    if (m) out.push({ from: m[1]!, name: m[2] ?? '', lines: [] });
    else out.at(-1)!.lines.push(l);
  }
  return out;
}

type Obj = Record<string, unknown>;
const docs = (f: string) => parseAllDocuments(read(f)).map((d) => d.toJS() as Obj);
const deploymentOf = (f: string) => docs(f).find((d) => d.kind === 'Deployment') as { spec: { replicas: number; strategy?: { type: string }; template: { metadata: { annotations?: Record<string, string> }; spec: Obj } } };
type Container = { env?: { name: string; value?: string }[]; livenessProbe: { httpGet: { path: string; port?: unknown } }; readinessProbe: { httpGet: { path: string; port?: unknown } }; securityContext: Obj; volumeMounts?: { name: string; mountPath: string }[] };

describe('deploy/Dockerfile', () => {
  const st = stages(read('Dockerfile'));
  const runtime = st.at(-1)!;
  const line = (s: Stage, re: RegExp) => s.lines.find((l) => re.test(l));

  it('builds on Node 20 bookworm-slim with the tools better-sqlite3 compiles with', () => {
    for (const s of st) expect(s.from).toBe('node:20-bookworm-slim');
    for (const s of st.slice(0, -1)) expect(line(s, /^RUN apt-get.*install.*\bpython3\b.*\bmake\b.*\bg\+\+/), s.name).toBeDefined();
  });

  it('runs only production dependencies, as a non-root user, in Beijing time, with a health check on /livez', () => {
    const from = runtime.lines.filter((l) => /^COPY --from=/.test(l));
    const modules = from.find((l) => /node_modules/.test(l))!;
    const depsStage = st.find((s) => s.name === /--from=(\S+)/.exec(modules)![1])!;
    expect(line(depsStage, /^RUN npm ci --omit=dev\b/)).toBeDefined();
    expect(depsStage.lines.some((l) => /^COPY (src|adapters)\b/.test(l))).toBe(false); // no sources, so no TypeScript needed
    expect(runtime.lines.some((l) => /^RUN .*npm (ci|install)/.test(l))).toBe(false);
    expect(runtime.lines.some((l) => /^COPY .*\b(src|adapters|tsconfig)/.test(l))).toBe(false);
    const user = runtime.lines.filter((l) => /^USER /.test(l)).at(-1)!;
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    const env = runtime.lines.filter((l) => /^ENV /.test(l)).join(' ');
    expect(env).toMatch(/\bTZ=Asia\/Shanghai\b/);
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(line(runtime, /^HEALTHCHECK .*CMD .*\/livez/)).toBeDefined();
    expect(line(runtime, /^CMD \["node", "bin\/start\.js"\]/)).toBeDefined();
  });

  it('serves metrics on a port of their own, reachable from outside the container, beside the public one', () => {
    const env = Object.fromEntries(runtime.lines.filter((l) => /^ENV /.test(l)).flatMap((l) => [...l.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])));
    expect(env.METRICS_PORT).toMatch(/^\d+$/);
    expect(env.METRICS_PORT).not.toBe(env.HTTP_PORT);
    expect(env.METRICS_HOST).toBe('0.0.0.0'); // the default, 127.0.0.1, is out of a scraper's reach in a container
    const exposed = runtime.lines.filter((l) => /^EXPOSE /.test(l)).flatMap((l) => l.split(/\s+/).slice(1));
    expect(exposed).toEqual(expect.arrayContaining([env.HTTP_PORT, env.METRICS_PORT]));
  });
});

describe('deploy/compose.yaml', () => {
  const c = parseYaml(read('compose.yaml')) as { services: Record<string, Obj>; volumes: Obj };

  it('runs Redis with AOF on and noeviction', () => {
    const cmd = (c.services.redis!.command as string[]).join(' ');
    expect(cmd).toMatch(/--appendonly yes/);
    expect(cmd).toMatch(/--maxmemory-policy noeviction/);
  });

  it('keeps the SQLite file on a named volume, outside a read-only container', () => {
    const bot = c.services.bot as { environment: Record<string, string>; volumes: string[]; read_only: boolean };
    const dataDir = posix.dirname(bot.environment.SQLITE_PATH!);
    const mount = bot.volumes.map((v) => v.split(':')).find(([, target]) => target === dataDir);
    expect(mount, `a volume at ${dataDir}`).toBeDefined();
    expect(Object.keys(c.volumes)).toContain(mount![0]);
    expect(bot.read_only).toBe(true);
    expect(bot.environment.TZ).toBe('Asia/Shanghai');
  });

  it('serves metrics on a port of their own, on the compose network only, never published on the host', () => {
    const bot = c.services.bot as { environment: Record<string, string>; ports: string[]; expose?: string[] };
    const metrics = bot.environment.METRICS_PORT!;
    expect(metrics).toMatch(/^\d+$/);
    expect(metrics).not.toBe(bot.environment.HTTP_PORT);
    expect(bot.environment.METRICS_HOST).toBe('0.0.0.0');
    expect(bot.expose).toContain(metrics);
    expect(bot.ports.map((p) => p.split(':').at(-1))).not.toContain(metrics);
  });
});

describe('deploy/kubernetes', () => {
  const container = (f: string) => (deploymentOf(f).spec.template.spec.containers as Container[])[0]!;
  const env = (k: Container) => Object.fromEntries((k.env ?? []).map((e) => [e.name, e.value]));

  for (const f of ['kubernetes/sqlite.yaml', 'kubernetes/redis.yaml']) {
    it(`${f}: probes on /livez and /readyz, read-only root filesystem, not root`, () => {
      const k = container(f);
      expect(k.livenessProbe.httpGet.path).toBe('/livez');
      expect(k.readinessProbe.httpGet.path).toBe('/readyz');
      expect(k.securityContext.readOnlyRootFilesystem).toBe(true);
      expect((deploymentOf(f).spec.template.spec.securityContext as Obj).runAsNonRoot).toBe(true);
    });
  }

  for (const f of ['kubernetes/sqlite.yaml', 'kubernetes/redis.yaml']) {
    it(`${f}: metrics on a container port of their own, annotated for scraping, on no Service and no probe`, () => {
      const k = container(f) as Container & { ports: { name: string; containerPort: number }[] };
      const metrics = Number(env(k).METRICS_PORT);
      expect(Number.isInteger(metrics)).toBe(true);
      expect(metrics).not.toBe(Number(env(k).HTTP_PORT));
      expect(env(k).METRICS_HOST).toBe('0.0.0.0');
      const port = k.ports.find((p) => p.containerPort === metrics);
      expect(port?.name).toBe('metrics');
      for (const probe of [k.livenessProbe, k.readinessProbe]) expect(probe.httpGet.port).not.toBe('metrics');
      const annotations = deploymentOf(f).spec.template.metadata.annotations ?? {};
      expect(annotations['prometheus.io/scrape']).toBe('true');
      expect(Number(annotations['prometheus.io/port'])).toBe(metrics);
      expect(annotations['prometheus.io/path']).toBe('/metrics');
      for (const svc of docs(f).filter((d) => d.kind === 'Service')) {
        const ports = (svc.spec as { ports: { port: number; targetPort?: number | string }[] }).ports;
        expect(ports.some((p) => p.port === metrics || p.targetPort === metrics || p.targetPort === 'metrics'), String((svc.metadata as Obj).name)).toBe(false);
      }
    });
  }

  it('SQLite: exactly one replica, never two at once, the file on a persistent volume', () => {
    const d = deploymentOf('kubernetes/sqlite.yaml');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy?.type).toBe('Recreate');
    const k = container('kubernetes/sqlite.yaml');
    const dataDir = posix.dirname(env(k).SQLITE_PATH!);
    const mount = k.volumeMounts!.find((m) => m.mountPath === dataDir)!;
    const volume = (d.spec.template.spec.volumes as { name: string; persistentVolumeClaim?: { claimName: string } }[]).find((v) => v.name === mount.name)!;
    const claims = docs('kubernetes/sqlite.yaml').filter((x) => x.kind === 'PersistentVolumeClaim').map((x) => (x.metadata as { name: string }).name);
    expect(claims).toContain(volume.persistentVolumeClaim!.claimName);
  });

  it('Redis: two replicas or more, no SQLite file, and its Redis with AOF on and noeviction', () => {
    const d = deploymentOf('kubernetes/redis.yaml');
    expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(env(container('kubernetes/redis.yaml')).SQLITE_PATH).toBeUndefined();
    const redis = docs('kubernetes/redis.yaml').find((x) => x.kind === 'StatefulSet') as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    const args = redis.spec.template.spec.containers[0]!.args.join(' ');
    expect(args).toMatch(/--appendonly yes/);
    expect(args).toMatch(/--maxmemory-policy noeviction/);
  });
});
