import { parse } from 'yaml';
import { allPorts, clusterPorts } from '../../../dev/cluster/cluster';
import { renderTemporalConfig, TEMPORAL_DATABASES, TEMPORAL_SERVICES } from '../../../dev/cluster/temporal-config';
import { clusterVersions, parseVersionsFile } from '../../../dev/cluster/versions';

interface RenderedConfig {
  global: { metrics: { prometheus: { listenAddress: string } } };
  persistence: { defaultStore: string; visibilityStore: string; datastores: Record<string, { sql: Record<string, unknown> }> };
  services: Record<string, { rpc: { grpcPort: number } }>;
}

describe('the cluster configuration', () => {
  it('gives every process its own ports, all moved by the offset', () => {
    const ports = allPorts(clusterPorts());
    expect(new Set(ports).size).toBe(ports.length);
    expect(allPorts(clusterPorts(20_000))).toEqual(ports.map((port) => port + 10_000));
  });

  it('renders one config per service that differs only in its metrics port, on PostgreSQL for persistence and visibility', () => {
    const ports = clusterPorts();
    const configs = TEMPORAL_SERVICES.map((service) => parse(renderTemporalConfig(ports, service, '/dynamic.yaml')) as RenderedConfig);
    expect(configs.map((config) => config.global.metrics.prometheus.listenAddress)).toEqual(
      TEMPORAL_SERVICES.map((service) => `127.0.0.1:${ports.services[service].metrics}`),
    );
    const withoutMetrics = configs.map((config) => JSON.stringify({ ...config, global: { ...config.global, metrics: undefined } }));
    expect(new Set(withoutMetrics).size).toBe(1);
    const { datastores, defaultStore, visibilityStore } = configs[0]!.persistence;
    expect(datastores[defaultStore]!.sql).toMatchObject({ pluginName: 'postgres12', databaseName: TEMPORAL_DATABASES.persistence });
    expect(datastores[visibilityStore]!.sql).toMatchObject({ pluginName: 'postgres12', databaseName: TEMPORAL_DATABASES.visibility });
    expect(configs[0]!.services.frontend!.rpc.grpcPort).toBe(ports.services.frontend.grpc);
  });

  it('reads the pinned versions, refusing a line that is not KEY=VALUE', () => {
    expect(clusterVersions().temporalServer).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(parseVersionsFile('# a comment\n\nA=1\nB=x=y\n')).toEqual({ A: '1', B: 'x=y' });
    expect(() => parseVersionsFile('NOT A PAIR')).toThrow(/not KEY=VALUE/);
    expect(() => clusterVersions('TEMPORAL_SERVER_VERSION=v1\n')).toThrow(/does not set TEMPORAL_SERVER_GOTOOLCHAIN/);
  });
});
