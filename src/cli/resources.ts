/** `ccapi resources ls TYPE` and `ccapi resources get TYPE IDENTIFIER`: the resources a running server holds. */
// The SDK loads when a command runs (dynamic imports below), never at `ccapi serve`'s start-up.
import type { ResourceDescription } from '@aws-sdk/client-cloudcontrol';
import type { Command } from 'commander';
import { CliError } from './catalogue.js';
import { addConnectionOptions, cloudControlClient, describeSdkError, type ConnectionOptions } from './client/connection.js';
import { renderJson, renderTable } from './client/output.js';
import { writeOut } from './stdout.js';

interface ListOptions extends ConnectionOptions {
  resourceModel?: string;
}

/** A resource as JSON output shows it: the model parsed (the API carries it as a string). */
function plainResource(typeName: string, r: ResourceDescription): Record<string, unknown> {
  let properties: unknown = r.Properties;
  try {
    properties = r.Properties === undefined ? undefined : JSON.parse(r.Properties);
  } catch {
    // Left as the string it came as.
  }
  return { TypeName: typeName, Identifier: r.Identifier, Properties: properties };
}

async function resourcesLs(typeName: string, options: ListOptions): Promise<void> {
  if (options.resourceModel !== undefined) {
    try {
      JSON.parse(options.resourceModel);
    } catch {
      throw new CliError(`--resource-model is not valid JSON: ${options.resourceModel}`);
    }
  }
  const client = await cloudControlClient(options);
  const { ListResourcesCommand } = await import('@aws-sdk/client-cloudcontrol');
  const found: ResourceDescription[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await client.send(
        new ListResourcesCommand({ TypeName: typeName, ...(options.resourceModel ? { ResourceModel: options.resourceModel } : {}), ...(nextToken ? { NextToken: nextToken } : {}) }),
      );
      found.push(...(page.ResourceDescriptions ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    throw new CliError(describeSdkError(error, options.endpointUrl));
  } finally {
    client.destroy();
  }
  if (options.output === 'json') return writeOut(renderJson(found.map((r) => plainResource(typeName, r))));
  writeOut(renderTable(['IDENTIFIER', 'PROPERTIES'], found.map((r) => [r.Identifier, r.Properties])));
}

async function resourcesGet(typeName: string, identifier: string, options: ConnectionOptions): Promise<void> {
  const client = await cloudControlClient(options);
  const { GetResourceCommand } = await import('@aws-sdk/client-cloudcontrol');
  let description: ResourceDescription | undefined;
  try {
    description = (await client.send(new GetResourceCommand({ TypeName: typeName, Identifier: identifier }))).ResourceDescription;
  } catch (error) {
    throw new CliError(describeSdkError(error, options.endpointUrl));
  } finally {
    client.destroy();
  }
  const resource = plainResource(typeName, description ?? {});
  if (options.output === 'json') return writeOut(renderJson(resource));
  writeOut(`${typeName} ${description?.Identifier ?? identifier}\n${renderJson(resource.Properties ?? {})}`);
}

export function registerResources(program: Command): void {
  const resources = program.command('resources').description('Resources held by a running server (ListResources, GetResource)');
  addConnectionOptions(
    resources
      .command('ls')
      .argument('<type>', 'resource type, e.g. AWS::Logs::LogGroup')
      .option('--resource-model <json>', 'ResourceModel for types whose list handler needs one (e.g. a parent identifier)')
      .description('List the resources of one type (every page of ListResources)'),
  ).action((typeName: string, options: ListOptions) => resourcesLs(typeName, options));
  addConnectionOptions(
    resources.command('get').argument('<type>', 'resource type').argument('<identifier>', 'primary identifier').description('Show one resource (GetResource)'),
  ).action((typeName: string, identifier: string, options: ConnectionOptions) => resourcesGet(typeName, identifier, options));
}
