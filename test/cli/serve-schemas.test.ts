// `ccapi serve --schemas`: start-up time and memory with AWS's full bundle, the start-up line and health,
// several layers (CCAPI_SCHEMAS), registry types actually served, and unreadable paths.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cleanEnv, OFFICIAL_ZIP, runCli, serve, tempDir, type Served } from './support.js';
import { skipIfMissing } from '../support/prerequisites.js';

/** One Cloud Control call over AWS JSON 1.0, as an SDK would send it (signatures are not verified). */
async function call(server: Served, operation: string, input: unknown): Promise<{ status: number; body: { __type?: string; message?: string } }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `CloudApiService.${operation}` },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { __type?: string; message?: string };
  // AWS JSON 1.0 errors name their shape: "com.amazon.cloudapiservice#ResourceNotFoundException".
  return { status: response.status, body: { ...body, ...(body.__type ? { __type: body.__type.replace(/^.*#/, '') } : {}) } };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('serve with AWS\'s bundle', { skip: skipIfMissing('bundle') }, () => {
  test('the bundle is indexed, not parsed, at start: little CPU and less than 60 MB over the built-in start', async (t) => {
    // Alternating runs, median of three each, so that load from elsewhere shifts both alike.
    const withBundle: Served[] = [];
    const builtInOnly: Served[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await serve(['--schemas', OFFICIAL_ZIP]);
      await a.stop();
      withBundle.push(a);
      const b = await serve([]);
      await b.stop();
      builtInOnly.push(b);
    }
    const ms = median(withBundle.map((s) => s.healthyAfterMs));
    const msBuiltIn = median(builtInOnly.map((s) => s.healthyAfterMs));
    const cpu = median(withBundle.map((s) => s.cpuMs));
    const cpuBuiltIn = median(builtInOnly.map((s) => s.cpuMs));
    const rss = median(withBundle.map((s) => s.rssMB));
    const rssBuiltIn = median(builtInOnly.map((s) => s.rssMB));
    t.diagnostic(`spawn → health 200: ${ms.toFixed(0)} ms with the bundle, ${msBuiltIn.toFixed(0)} ms built-in only (median of 3)`);
    t.diagnostic(`CPU used by then: ${cpu} ms with the bundle, ${cpuBuiltIn} ms built-in only`);
    t.diagnostic(`RSS once healthy: ${rss.toFixed(1)} MB with the bundle, ${rssBuiltIn.toFixed(1)} MB built-in only (+${(rss - rssBuiltIn).toFixed(1)} MB)`);
    // The start-up time itself is a bench figure (bench/registry.mjs): wall clock in a test only measures
    // whatever else the machine is doing. What a test can hold is that the bundle is indexed, not parsed,
    // at start: its CPU cost over the built-in start stays small, and so does its memory.
    if (!Number.isNaN(cpu)) assert.ok(cpu - cpuBuiltIn < 400, `the bundle costs ${cpu - cpuBuiltIn} ms of CPU at start-up`);
    if (!Number.isNaN(rss)) assert.ok(rss - rssBuiltIn < 60, `+${rss - rssBuiltIn} MB`);

    const server = withBundle[0]!;
    assert.match(server.line, /catalogue: 1,665 registry types from \S+\/CloudformationSchema\.zip over 1,\d{3} built-in \(1,\d{3} in all\); /);
    assert.ok(server.line.includes(`from ${OFFICIAL_ZIP} over`), server.line);
    const [builtIn, registry] = server.health.catalogue.layers;
    assert.equal(builtIn!.source, 'aws-service-spec');
    assert.deepStrictEqual(registry, { source: 'registry', origin: OFFICIAL_ZIP, types: 1665, warnings: 0 });
    assert.ok(server.health.catalogue.types > 1665 && server.health.catalogue.types >= builtIn!.types);
  });

  test('registry types are served: found only in the bundle, handlers from the bundle, exact names', async () => {
    const server = await serve(['--schemas', OFFICIAL_ZIP]);
    try {
      // In the bundle, not in the built-in catalogue: the type is known, the resource is not.
      const registryOnly = await call(server, 'GetResource', { TypeName: 'AWS::IoTFleetHub::Application', Identifier: 'nope' });
      assert.equal(registryOnly.body.__type, 'ResourceNotFoundException', JSON.stringify(registryOnly.body));
      const lowerCase = await call(server, 'GetResource', { TypeName: 'aws::iotfleethub::application', Identifier: 'nope' });
      assert.equal(lowerCase.body.__type, 'TypeNotFoundException');
      // The bundle's AWS::IAM::RolePolicy has no list handler; the built-in catalogue gives every type all five.
      const list = await call(server, 'ListResources', { TypeName: 'AWS::IAM::RolePolicy' });
      assert.equal(list.body.__type, 'UnsupportedActionException', JSON.stringify(list.body));
    } finally {
      await server.stop();
    }
    const builtIn = await serve([]);
    try {
      const unknown = await call(builtIn, 'GetResource', { TypeName: 'AWS::IoTFleetHub::Application', Identifier: 'nope' });
      assert.equal(unknown.body.__type, 'TypeNotFoundException', 'the built-in catalogue does not have it');
    } finally {
      await builtIn.stop();
    }
  });
});

describe('serve --schemas', { concurrency: 2 }, () => {
  const schema = (typeName: string, description: string) =>
    JSON.stringify({ typeName, description, properties: { Id: { type: 'string' } }, primaryIdentifier: ['/properties/Id'] });

  test('CCAPI_SCHEMAS holds several paths; health lists the layers in order, warnings counted', async () => {
    const one = tempDir();
    writeFileSync(join(one, 'a.json'), schema('Acme::Test::A', 'one'));
    writeFileSync(join(one, 'broken.json'), '{');
    const two = tempDir();
    writeFileSync(join(two, 'a.json'), schema('Acme::Test::A', 'two'));
    writeFileSync(join(two, 'b.json'), schema('Acme::Test::B', 'two'));
    const server = await serve([], cleanEnv({ CCAPI_SCHEMAS: `${one}${delimiter}${two}` }));
    await server.stop();
    assert.match(server.line, new RegExp(`catalogue: 2 registry types from ${two}, 1 from ${one} over 1,\\d{3} built-in \\(1,\\d{3} in all\\); `));
    assert.deepStrictEqual(
      server.health.catalogue.layers.slice(1),
      [
        { source: 'registry', origin: one, types: 1, warnings: 1 },
        { source: 'registry', origin: two, types: 2, warnings: 0 },
      ],
    );
    assert.equal(server.health.catalogue.types, server.health.catalogue.layers[0]!.types + 2);
  });

  test('a path that cannot be read stops start-up with a clear error', async () => {
    const missing = join(tempDir(), 'CloudformationSchema.zip');
    const result = await runCli(['serve', '--port', '0', '--database', ':memory:', '--schemas', missing]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `ccapi: cannot read schemas from ${missing}: no such file or directory\n`);

    const notZip = join(tempDir(), 'schemas.zip');
    writeFileSync(notZip, 'x'.repeat(100));
    const bad = await runCli(['serve', '--port', '0', '--database', ':memory:'], cleanEnv({ CCAPI_SCHEMAS: notZip }));
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr, `ccapi: cannot read schemas from ${notZip}: not a zip file (no end of central directory record)\n`);
  });
});
