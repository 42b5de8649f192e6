import type { TypeFormat } from '../format.js';

/** A type's "Return values" section in the CloudFormation template reference. */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

/**
 * A public zone's four name servers, one in each of Route 53's top-level domains: ns-2048.awsdns-64.com,
 * ns-2049.awsdns-00.net, ns-2050.awsdns-01.org, ns-2051.awsdns-02.co.uk (the developer guide's example); the
 * server numbers below 2048 and the awsdns- numbers below 64 are drawn so.
 */
const nameServer = (tens: number, tld: string) => `ns-1\${Random:digits:3}.awsdns-${tens}\${Random:digits:1}.${tld}`;
const NAME_SERVERS = [nameServer(0, 'com'), nameServer(1, 'net'), nameServer(2, 'org'), nameServer(3, 'co.uk')];

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::Route53::HostedZone': {
    sources: [
      // Return values: Id (Z and upper-case letters and digits), NameServers; a private zone (VPCs) has none.
      returnValues('route53-hostedzone'),
      'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/SOA-NSrecords.html',
      'https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html',
    ],
    attributes: {
      Id: 'Z${Random:upper:13}',
      NameServers: { ifSet: 'VPCs', then: { absent: true }, else: { value: NAME_SERVERS } },
    },
  },
  'AWS::Route53::HealthCheck': {
    sources: [
      // Return values: HealthCheckId, e.g. e0a123b4-4dba-4650-935e-example (a UUID).
      returnValues('route53-healthcheck'),
      'https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHealthCheck.html',
    ],
    attributes: { HealthCheckId: '${Random:uuid}' },
  },
};
