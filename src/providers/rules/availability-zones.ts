/**
 * The Availability Zones of each Region, as data: the zone names a subnet may be created in (and the default
 * VPC's subnets use) and the AZ IDs beside them.
 *
 * Facts (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html):
 * "The code for an Availability Zone is its Region code followed by a letter identifier"; "An AZ ID consists of
 * the first three letters of the Region code, followed by the number at the end of the Region code, followed by
 * -az, followed by a number"; the page's tables list each Region's AZ IDs (their count is the count below).
 * In the oldest Regions the letters are mapped to zones per account ("the us-east-1a Availability Zone for your
 * account might not be the same physical location as it is in another account"), so which letters an account
 * sees there is the account's: ccapi emulates one account's mapping, pairing the i-th name with the i-th ID.
 *
 * Where a public capture of EC2's own list exists, it is cited: it is the list EC2 names when it refuses a zone.
 */

export interface RegionZones {
  /** Zone names in EC2's order (the order its "Subnets can currently only be created in …" list uses). */
  names: readonly string[];
  /** AZ IDs, the i-th beside the i-th name (ccapi's mapping; AWS's is per account in the oldest Regions). */
  ids: readonly string[];
}

const zones = (region: string, letters: string, idPrefix: string, idNumbers: readonly number[]): RegionZones => ({
  names: [...letters].map((letter) => `${region}${letter}`),
  ids: idNumbers.map((n) => `${idPrefix}-az${n}`),
});

const REGION_ZONES: Readonly<Record<string, RegionZones>> = {
  // EC2's own list, quoted in a CloudFormation AWS::EC2::Subnet failure: "Subnets can currently only be created
  // in the following availability zones: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e,
  // us-east-1f." (aws/aws-cdk#32017; the same list in crossplane-contrib/provider-aws#1048). AZ IDs use1-az1…6.
  'us-east-1': zones('us-east-1', 'abcdef', 'use1', [1, 2, 3, 4, 5, 6]),
  'us-east-2': zones('us-east-2', 'abc', 'use2', [1, 2, 3]),
  // Two zones (usw1-az1, usw1-az3), lettered per account: "us-west-1b, us-west-1c" in one account's refusal
  // (Coalfire-Research/npk#10), "us-west-1c, us-west-1a" in another's (openedx configuration#16). ccapi uses the first.
  'us-west-1': { names: ['us-west-1b', 'us-west-1c'], ids: ['usw1-az3', 'usw1-az1'] },
  'us-west-2': zones('us-west-2', 'abcd', 'usw2', [1, 2, 3, 4]),
  // Three zones, AZ IDs cac1-az1, cac1-az2, cac1-az4, lettered a, b, d.
  'ca-central-1': zones('ca-central-1', 'abd', 'cac1', [1, 2, 4]),
  'eu-west-1': zones('eu-west-1', 'abc', 'euw1', [1, 2, 3]),
  'eu-west-2': zones('eu-west-2', 'abc', 'euw2', [1, 2, 3]),
  'eu-west-3': zones('eu-west-3', 'abc', 'euw3', [1, 2, 3]),
  'eu-central-1': zones('eu-central-1', 'abc', 'euc1', [1, 2, 3]),
  'eu-north-1': zones('eu-north-1', 'abc', 'eun1', [1, 2, 3]),
  'ap-south-1': zones('ap-south-1', 'abc', 'aps1', [1, 2, 3]),
  'ap-southeast-1': zones('ap-southeast-1', 'abc', 'apse1', [1, 2, 3]),
  'ap-southeast-2': zones('ap-southeast-2', 'abc', 'apse2', [1, 2, 3]),
  // EC2's list: "ap-northeast-1a, ap-northeast-1c, ap-northeast-1d" (TheSudoYT/terraform-aws-palworld#9);
  // AZ IDs apne1-az1, apne1-az2, apne1-az4.
  'ap-northeast-1': { names: ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'], ids: ['apne1-az4', 'apne1-az1', 'apne1-az2'] },
  'ap-northeast-2': zones('ap-northeast-2', 'abcd', 'apne2', [1, 2, 3, 4]),
  'sa-east-1': zones('sa-east-1', 'abc', 'sae1', [1, 2, 3]),
};

/** The zones of a Region ccapi knows; undefined for one it does not (its zones are then not checked). */
export function zonesOf(region: string): RegionZones | undefined {
  return REGION_ZONES[region];
}

/** The Regions in the table (for tests and for the default VPC, one default subnet per zone). */
export function knownRegions(): readonly string[] {
  return Object.keys(REGION_ZONES);
}
