/**
 * The files of a new custom resource type, as `ccapi types init` writes them: each one a function of the
 * type's names, so the scaffold needs no template files at run time.
 */
import { handlersTestJs } from './handlers-test.js';
import { handlersJs } from './handlers.js';
import type { ScaffoldNames } from './names.js';
import { readmeMd } from './readme.js';
import { schemaJson } from './schema.js';

export { scaffoldNames, type ScaffoldNames } from './names.js';

export interface ScaffoldFile {
  /** The file name inside the type folder. */
  name: string;
  /** One line for the listing `ccapi types init` prints. */
  summary: string;
  content: string;
}

/**
 * @param dir the type folder as the user named it, shell-quoted: the README's commands use it.
 * @example scaffoldFiles(scaffoldNames('Acme::Thing::Widget'), 'types/acme-thing-widget')
 */
export function scaffoldFiles(n: ScaffoldNames, dir: string): ScaffoldFile[] {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return [
    { name: 'schema.json', summary: 'the resource schema: properties, identifiers, handlers, type configuration', content: schemaJson(n) },
    { name: 'handlers.js', summary: `create (in two steps), read, update, delete, list: each ${n.noun} a JSON file`, content: handlersJs(n) },
    { name: 'handlers.test.js', summary: 'the contract test, run with node --test', content: handlersTestJs(n) },
    { name: 'README.md', summary: 'running it with ccapi, a sample session, where to edit', content: readmeMd(n, dir) },
    {
      name: 'type-config.json',
      summary: 'a sample --type-config file',
      // A relative directory is resolved against the server's working directory: ccapi's own state is in ./.ccapi.
      content: json({ [n.typeName]: { directory: `.ccapi/${n.folderName}`, pageSize: 20 } }),
    },
    {
      name: 'package.json',
      summary: 'makes handlers.js an ES module; npm test runs the test',
      content: json({
        name: n.folderName,
        version: '0.1.0',
        private: true,
        description: `${n.typeName}, a custom resource type for ccapi`,
        type: 'module',
        scripts: { test: 'node --test' },
        engines: { node: '>=20' },
      }),
    },
    { name: '.gitignore', summary: `keeps the default data folder (.data/) out of git`, content: '# Where the handlers keep resources without a type configuration.\n.data/\n' },
  ];
}
