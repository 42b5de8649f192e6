/**
 * The words a scaffold is written with, all derived from the type name: `Acme::Thing::Widget` gives the
 * folder `acme-thing-widget`, the ARN parts `thing` and `widget`, and "widget" / "widgets" in prose.
 */

export interface ScaffoldNames {
  /** `Acme::Thing::Widget` */
  typeName: string;
  /** `acme-thing-widget`: AWS names schema files the same way (`AWS::S3::Bucket` → `aws-s3-bucket.json`). */
  folderName: string;
  /** The service and resource parts of the ARNs the handlers make: `thing`, `widget`. */
  arnService: string;
  arnResource: string;
  /** The resource in prose: `widget`, `widgets`, `Widget`, `Widgets` (`DNSRecord` → `DNS record`). */
  noun: string;
  nouns: string;
  Noun: string;
  Nouns: string;
}

/** `ApiKey` → `api key`, `DNSRecord` → `DNS record`, `S3Bucket` → `S3 bucket`: acronyms keep their capitals. */
function words(segment: string): string {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ')
    .map((word) => (word.length > 1 && word === word.toUpperCase() && /[A-Z]/.test(word) ? word : word.toLowerCase()))
    .join(' ');
}

/** English plural of the last word, by the regular rules (an odd one reads fine in comments). */
function plural(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The names of a scaffold for a type name already checked to be `Organization::Service::Resource`. */
export function scaffoldNames(typeName: string): ScaffoldNames {
  const [, service = '', resource = ''] = typeName.split('::');
  const noun = words(resource);
  return {
    typeName,
    folderName: typeName.toLowerCase().split('::').join('-'),
    arnService: service.toLowerCase(),
    arnResource: resource.toLowerCase(),
    noun,
    nouns: plural(noun),
    Noun: capitalized(noun),
    Nouns: capitalized(plural(noun)),
  };
}
