/** The scaffold's README.md: running the type with ccapi, a sample session, the test, where to edit. `dir` is the folder as the user named it (shell-quoted). */
import type { ScaffoldNames } from './names.js';

export function readmeMd(n: ScaffoldNames, dir: string): string {
  return `# ${n.typeName}

A custom resource type for ccapi, scaffolded by \`ccapi types init\`. Its handlers manage
${n.nouns} that are JSON files on disk: a stand-in for the service your type will really manage, small enough to
read in one sitting and real enough to show every part of the CloudFormation handler contract that ccapi drives.

| file | what it is |
|---|---|
| \`schema.json\` | the resource schema: properties (\`Name\` is the primary identifier and create-only, \`Arn\` read-only, \`ApiKey\` write-only), the handlers with their permissions and timeouts, and the \`typeConfiguration\` schema |
| \`handlers.js\` | create (in two steps: provision, then stabilize), read, update, delete and list; plain JavaScript, no build step |
| \`handlers.test.js\` | the contract test: \`node --test\` |
| \`type-config.json\` | a sample \`--type-config\` file |
| \`package.json\` | \`"type": "module"\` (so Node loads \`handlers.js\` as an ES module) and \`npm test\` |

## Run it with ccapi

From the folder you ran \`ccapi types init\` in:

\`\`\`sh
ccapi serve --types ${dir} --type-config ${dir}/type-config.json
\`\`\`

\`--types\` takes this folder, or a folder of type folders (\`--types ./types\` loads each type in it), and can be
repeated. ccapi checks the type when it starts (the schema, the exported handlers, the type configuration against
\`typeConfiguration\`) and says which file is wrong and why. Handlers are loaded once: restart ccapi after an edit.

\`type-config.json\` holds this type's settings, keyed by type name: \`directory\` is where the ${n.nouns} are kept
(relative to the server's working directory) and \`pageSize\` the number of ${n.nouns} per ListResources page.
Without \`--type-config\`, the ${n.nouns} go to \`.data/\` in this folder.

Then, from another terminal (open mode: any key works, the account is \`000000000000\`):

\`\`\`sh
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL_CLOUDCONTROL=http://127.0.0.1:4600

aws cloudcontrol create-resource --type-name ${n.typeName} \\
    --desired-state '{"Name":"first","Description":"my first ${n.noun}","Size":3,"ApiKey":"an-api-key-123"}'
# ProgressEvent: OperationStatus IN_PROGRESS, a RequestToken; the first step provisioned the ${n.noun},
# the second (a second later: RetryAfter) stabilizes it
aws cloudcontrol wait resource-request-success --request-token <RequestToken>
aws cloudcontrol get-resource --type-name ${n.typeName} --identifier first
# "Properties": "{\\"Name\\":\\"first\\",\\"Description\\":\\"my first ${n.noun}\\",\\"Size\\":3,
#                 \\"Arn\\":\\"arn:aws:${n.arnService}:us-east-1:000000000000:${n.arnResource}/first\\"}"   (no ApiKey: write-only)
aws cloudcontrol update-resource --type-name ${n.typeName} --identifier first \\
    --patch-document '[{"op":"replace","path":"/Size","value":5},{"op":"remove","path":"/Description"}]'
aws cloudcontrol list-resources --type-name ${n.typeName}
aws cloudcontrol delete-resource --type-name ${n.typeName} --identifier first
aws cloudcontrol get-resource-request-status --request-token <RequestToken>
aws cloudcontrol get-resource --type-name ${n.typeName} --identifier first
# ResourceNotFoundException: ... Handler returned status FAILED: Resource of type '${n.typeName}'
# with identifier 'first' was not found. (HandlerErrorCode: NotFound, ...)
\`\`\`

While it exists, the ${n.noun} is a file: \`<directory>/000000000000/us-east-1/first.json\`. Creating \`first\` again
while it exists fails with \`AlreadyExists\`; a \`Name\` that does not fit the schema's pattern is refused by ccapi
before any handler runs. boto3 (\`boto3.client('cloudcontrol', endpoint_url='http://127.0.0.1:4600')\`), the JS
SDK, Terraform's \`awscc\` provider and the other Cloud Control clients work the same way.

## Run the test

\`\`\`sh
cd ${dir} && node --test      # or: npm test
\`\`\`

Node 20 or newer, no dependencies: \`handlers.test.js\` imports \`handlers.js\` directly and plays ccapi's part. It
calls a handler, calls it again with the returned \`callbackContext\` while it answers \`IN_PROGRESS\`, checks each
answer against the contract (status, errorCode on FAILED, no model on delete's SUCCESS, the primary identifier
in every model, never a write-only property, read and list never \`IN_PROGRESS\`), and runs create → read →
update → list (page by page) → delete → read (\`NotFound\`) against a temporary \`directory\`.

## Where to edit

- **\`schema.json\`**: your resource's properties. ccapi validates every DesiredState and patch against it before
  your handlers run, and enforces \`createOnlyProperties\` (a patch that changes one is refused),
  \`readOnlyProperties\` (clients cannot set them) and \`writeOnlyProperties\` (never shown to clients). Keep
  \`primaryIdentifier\` to properties the create handler knows or makes. \`timeoutInMinutes\` bounds a whole
  create, update or delete (past it the request fails with \`ServiceTimeout\`). Put your settings (an endpoint, a
  credentials file) in \`typeConfiguration\`; ccapi refuses to load the type when \`--type-config\` does not fit it.
- **\`handlers.js\`**: replace the file operations (\`readRecord\`, \`writeRecord\`, \`unlink\`, \`readdir\`) with
  calls to your service, and keep the shape: \`NotFound\` from read, update and delete of something missing,
  \`AlreadyExists\` from create, the whole model (without write-only properties) on SUCCESS. Anything that takes
  time is a chain of steps: start it, answer \`IN_PROGRESS\` with a \`callbackContext\` and \`callbackDelaySeconds\`,
  check on the next call, as \`create\` does. Steps may run twice after a crash: \`clientRequestToken\` tells a
  repeat from a conflict. Pass \`context.signal\` to your I/O; log with \`context.log\`.
- **\`handlers.test.js\`**: a case per rule your service adds.

The JSDoc types in \`handlers.js\` name ccapi's handler contract (\`ccapi/handlers\`: \`src/providers/author.ts\` in
ccapi's sources), so an editor can check the handlers without a build step.
`;
}
