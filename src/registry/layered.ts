/**
 * Catalogues stacked type by type: the built-in one at the bottom, registry bundles over it, later layers
 * winning. What a layer is (source, origin, count) is kept for the start-up line, health and `ccapi types`.
 */
import { typeKey } from './bundle.js';
import type { CatalogueSource, ResourceType, TypeCatalogue } from './types.js';

/** A catalogue, with what it may say about itself (SchemaBundle and the built-in catalogue say some of it). */
export interface CatalogueLayer extends TypeCatalogue {
  readonly source?: CatalogueSource;
  readonly origin?: string;
  /** The built-in catalogue's name for its origin ("@aws-cdk/aws-service-spec@0.1.216"). */
  readonly generatedFrom?: string;
  readonly warnings?: readonly string[];
  /** typeKey() of every type without loading any; lets the union be counted without parsing a bundle. */
  indexKeys?(): Iterable<string>;
}

export interface LayerDescription {
  source: CatalogueSource;
  origin: string;
  /** Types this layer defines (whether or not a later layer overrides them). */
  types: number;
  warnings: number;
}

/** Where the definition of a type in force comes from. */
export interface TypeLocation {
  type: ResourceType;
  layer: LayerDescription;
  /** Earlier layers that also define the type, nearest first. */
  overrides: LayerDescription[];
}

export interface LayeredCatalogue extends TypeCatalogue {
  readonly layers: readonly CatalogueLayer[];
  /** Each layer, bottom first. */
  describe(): LayerDescription[];
  /** The layer whose definition of the type is in force (without loading the type where avoidable). */
  layerOf(typeName: string): LayerDescription | undefined;
  locate(typeName: string): TypeLocation | undefined;
}

function describeLayer(layer: CatalogueLayer): LayerDescription {
  return {
    source: layer.source ?? (layer.generatedFrom !== undefined ? 'aws-service-spec' : 'custom'),
    origin: layer.origin ?? layer.generatedFrom ?? 'in memory',
    types: layer.size,
    warnings: layer.warnings?.length ?? 0,
  };
}

/**
 * Stacks catalogues; for each type the last layer that has it wins (registry schemas override built-in ones).
 *
 * @example
 *   const catalogue = layerCatalogues([openBuiltInCatalogue(), openSchemaBundle('CloudformationSchema.zip')]);
 *   catalogue.get('AWS::S3::Bucket')?.source; // 'registry'
 */
export function layerCatalogues(layers: CatalogueLayer[]): LayeredCatalogue {
  const topFirst = [...layers].reverse();
  let sizeMemo: { layerSizes: string; size: number } | undefined;

  // Counted by typeKey() so that a zip's file names count without parsing it; a layer's size changes when a
  // lazily parsed file turns out broken, so the memo is keyed by the layers' sizes.
  function unionSize(): number {
    if (layers.length === 1) return layers[0]!.size;
    const layerSizes = layers.map((l) => l.size).join(',');
    if (sizeMemo?.layerSizes !== layerSizes) {
      const keys = new Set<string>();
      for (const layer of layers) for (const key of layer.indexKeys?.() ?? layer.typeNames().map(typeKey)) keys.add(key);
      sizeMemo = { layerSizes, size: keys.size };
    }
    return sizeMemo.size;
  }

  const withHints = new Map<string, ResourceType>();

  function get(typeName: string): ResourceType | undefined {
    const index = topFirst.findIndex((layer) => layer.has(typeName));
    if (index === -1) return undefined;
    const type = topFirst[index]!.get(typeName);
    if (!type || type.schema['x-ccapi-arnTemplate'] !== undefined) return type;
    // The official schema replaces the built-in definition, but it knows nothing of ARN shapes: keep the
    // built-in catalogue's ARN template, or a LogGroup's ARN would lose AWS's "log-group:NAME" form.
    let hinted = withHints.get(typeName);
    if (!hinted) {
      const template = topFirst
        .slice(index + 1)
        .map((layer) => layer.get(typeName)?.schema['x-ccapi-arnTemplate'])
        .find((t) => t !== undefined);
      hinted = template === undefined ? type : { ...type, schema: { ...type.schema, 'x-ccapi-arnTemplate': template } };
      withHints.set(typeName, hinted);
    }
    return hinted;
  }

  return {
    layers,
    get size() {
      return unionSize();
    },
    has: (typeName) => topFirst.some((layer) => layer.has(typeName)),
    get,
    typeNames() {
      const names = new Set<string>();
      for (const layer of layers) for (const name of layer.typeNames()) names.add(name);
      return [...names].sort();
    },
    describe: () => layers.map(describeLayer),
    layerOf(typeName) {
      const layer = topFirst.find((l) => l.has(typeName));
      return layer && describeLayer(layer);
    },
    locate(typeName) {
      const index = topFirst.findIndex((layer) => layer.has(typeName));
      if (index === -1) return undefined;
      return {
        type: topFirst[index]!.get(typeName)!,
        layer: describeLayer(topFirst[index]!),
        overrides: topFirst
          .slice(index + 1)
          .filter((layer) => layer.has(typeName))
          .map(describeLayer),
      };
    },
  };
}

export function isLayered(catalogue: TypeCatalogue): catalogue is LayeredCatalogue {
  return typeof (catalogue as Partial<LayeredCatalogue>).describe === 'function';
}

/** What `/_ccapi/health` says about the catalogue in use: the union's size and each layer, bottom first. */
export function describeCatalogue(catalogue: TypeCatalogue): { types: number; layers: LayerDescription[] } {
  return { types: catalogue.size, layers: isLayered(catalogue) ? catalogue.describe() : [describeLayer(catalogue)] };
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The start-up line's account of the catalogue, top layer first:
 * "1,665 registry types from /x/CloudformationSchema.zip over 1,807 built-in (1,813 in all)".
 */
export function summarizeCatalogue(catalogue: TypeCatalogue): string {
  const { types, layers } = describeCatalogue(catalogue);
  const builtIn = (l: LayerDescription) => l.source === 'aws-service-spec';
  if (layers.length === 1 && builtIn(layers[0]!)) return `${count(types)} built-in AWS resource types`;
  // "N registry types from A", then "M from B" for further registry layers, "K built-in" for the bottom one.
  const parts = [...layers].reverse().map((l, i) => {
    if (builtIn(l)) return `${count(l.types)} built-in`;
    const noun = i === 0 ? ` ${l.source} ${l.types === 1 ? 'type' : 'types'}` : l.source === 'registry' ? '' : ` ${l.source}`;
    return `${count(l.types)}${noun} from ${l.origin}`;
  });
  if (parts.length === 1) return parts[0]!;
  return `${parts.slice(0, -1).join(', ')} over ${parts.at(-1)!} (${count(types)} in all)`;
}
