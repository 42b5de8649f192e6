import type { TypeFormat } from '../format.js';

/** A type's "Return values" section in the CloudFormation template reference (`rds-dbinstance`, …). */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

/** RDS ARNs: `arn:aws:rds:<region>:<account>:db:<name>`, `cluster:`, `subgrp:`, `db-proxy:prx-…`. */
const RDS_ARNS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.ARN.Constructing.html';
const RDS_ARN = 'arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}';

/** The RDS resource providers' source (aws-cloudformation-resource-providers-rds), at the commit read. */
const PROVIDERS = 'https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-rds/blob/5a410e843efb90076c1c4d322707bc989e5a058b';

/**
 * RDS identifiers and group names are stored in lower case; CloudFormation converts a given one and generates
 * a lower-case one when none is given (the DBInstanceIdentifier and DBClusterIdentifier property pages).
 */
const NAMING = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.Constraints';

/**
 * The port an engine listens on by default: Db2 50000, MariaDB and MySQL 3306, SQL Server 1433, Oracle 1521,
 * PostgreSQL 5432 (the DBInstance Port property page), Aurora MySQL 3306 and Aurora PostgreSQL 5432 (DBCluster's).
 */
const ENGINE_PORTS: Readonly<Record<string, string>> = {
  mysql: '3306', mariadb: '3306', 'aurora-mysql': '3306', postgres: '5432', 'aurora-postgresql': '5432',
  'oracle-ee': '1521', 'oracle-ee-cdb': '1521', 'oracle-se2': '1521', 'oracle-se2-cdb': '1521',
  'custom-oracle-ee': '1521', 'custom-oracle-ee-cdb': '1521', 'custom-oracle-se2': '1521', 'custom-oracle-se2-cdb': '1521',
  'sqlserver-ee': '1433', 'sqlserver-se': '1433', 'sqlserver-ex': '1433', 'sqlserver-web': '1433',
  'custom-sqlserver-ee': '1433', 'custom-sqlserver-se': '1433', 'custom-sqlserver-web': '1433', 'custom-sqlserver-dev': '1433',
  'db2-ae': '50000', 'db2-se': '50000',
};

/** The given Port, else the engine's default; without a known engine (AWS requires one) there is none to tell. */
const PORT = { ifSet: 'Port', then: '${Port}', else: { on: 'Engine', cases: ENGINE_PORTS } };

/**
 * Endpoints are `<identifier>.<12 characters>.<region>.rds.amazonaws.com`, the middle part fixed per account and
 * Region (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ConnectToInstance.html shows
 * mydb.123456789012.us-east-1.rds.amazonaws.com); a cluster's writer has `cluster-` before it and its reader
 * `cluster-ro-` (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Overview.Endpoints.html).
 */
const ENDPOINT_ID = '${Random:lower:12}';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::RDS::DBInstance': {
    sources: [
      // Return values: Endpoint.Address mystack-mydb-1apw1j4phylrk.cg034hpkmmjt.us-east-2.rds.amazonaws.com,
      // Endpoint.Port, DBInstanceArn, DbiResourceId ("The AWS Region-unique, immutable identifier", db- and 26
      // upper-case characters, as IAM database authentication's rds-db ARNs quote it).
      returnValues('rds-dbinstance'),
      RDS_ARNS,
      NAMING,
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html',
      // A created instance is "available"; PercentProgress, the automatic restart and resume times, a secondary
      // zone (Multi-AZ), the storage upgrade flag (false) and the listener endpoint (SQL Server Multi-AZ) are
      // only there in the states they describe.
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html#Overview.DBInstance.Status',
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-port',
      // The handler's read renders DescribeDBInstances' InstanceCreateTime, an Instant, with Instant.toString():
      // ISO 8601 in UTC with a Z, with the fractional seconds RDS keeps (none when they are .000), in
      // translateInstantToString (Translator.java).
      `${PROVIDERS}/aws-rds-dbinstance/src/main/java/software/amazon/rds/dbinstance/Translator.java`,
    ],
    name: { property: 'DBInstanceIdentifier', case: 'lower', maxLength: 63 },
    attributes: {
      DBInstanceArn: `${RDS_ARN}:db:\${DBInstanceIdentifier}`,
      'Endpoint.Address': `\${DBInstanceIdentifier}.${ENDPOINT_ID}.\${AWS::Region}.rds.\${AWS::URLSuffix}`,
      'Endpoint.Port': PORT,
      DbiResourceId: 'db-${Random:upper:26}',
      InstanceCreateTime: '${Time:iso}',
      // LatestRestorableTime (registry schema only) is set once RDS has backed the instance up, and the handler
      // read at the cited commit does not return it at all: no source tells a new instance's value, so the
      // derived rule forms it.
      DBInstanceStatus: 'available',
      IsStorageConfigUpgradeAvailable: { value: false },
      ReadReplicaDBInstanceIdentifiers: { value: [] },
      ReadReplicaDBClusterIdentifiers: { value: [] },
      StatusInfos: { value: [] },
      PercentProgress: { absent: true },
      AutomaticRestartTime: { absent: true },
      ResumeFullAutomationModeTime: { absent: true },
      SecondaryAvailabilityZone: { absent: true },
      // In the service spec, not the registry schema: there only while a storage operation runs.
      StorageOperationStatus: { absent: true },
      StorageOperationPercentProgress: { absent: true },
    },
  },
  'AWS::RDS::DBCluster': {
    sources: [
      // Return values: DBClusterArn, DBClusterResourceId (cluster- and 26 upper-case characters),
      // Endpoint.Address mystack-mydbcluster-123456789012.cluster-cg034hpkmmjt.us-east-2.rds.amazonaws.com,
      // Endpoint.Port, ReadEndpoint.Address ...cluster-ro-cg034hpkmmjt.us-east-2.rds.amazonaws.com.
      returnValues('rds-dbcluster'),
      RDS_ARNS,
      NAMING,
      'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Overview.Endpoints.html',
      // Port: "RDS for MySQL and Aurora MySQL - 3306, RDS for PostgreSQL and Aurora PostgreSQL - 5432".
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-port',
      // StorageThroughput is for Multi-AZ DB clusters' io1/io2/gp3 storage; the encryption type's values are
      // not documented: neither is formed (left out, not guessed).
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBCluster.html',
    ],
    name: { property: 'DBClusterIdentifier', case: 'lower', maxLength: 63 },
    attributes: {
      DBClusterArn: `${RDS_ARN}:cluster:\${DBClusterIdentifier}`,
      DBClusterResourceId: 'cluster-${Random:upper:26}',
      'Endpoint.Address': `\${DBClusterIdentifier}.cluster-${ENDPOINT_ID}.\${AWS::Region}.rds.\${AWS::URLSuffix}`,
      'Endpoint.Port': PORT,
      'ReadEndpoint.Address': '${Endpoint.Address|replace:.cluster-=.cluster-ro-}',
      StorageEncryptionType: { absent: true },
      StorageThroughput: { absent: true },
    },
  },
  'AWS::RDS::DBSubnetGroup': {
    sources: [
      // Ref returns the name; the ARN is arn:aws:rds:<region>:<account>:subgrp:<name>.
      returnValues('rds-dbsubnetgroup'),
      RDS_ARNS,
      // DBSubnetGroupName: up to 255 characters, stored in lower case.
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html',
    ],
    name: { property: 'DBSubnetGroupName', case: 'lower', maxLength: 255 },
    attributes: { DBSubnetGroupArn: `${RDS_ARN}:subgrp:\${DBSubnetGroupName}` },
  },
  'AWS::RDS::DBParameterGroup': {
    sources: [
      // Ref returns the name, which CloudFormation generates in lower case when none is given.
      returnValues('rds-dbparametergroup'),
      // DBParameterGroupName: 1 to 255 letters, numbers and hyphens, stored in lower case.
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html',
      // A parameter group's ARN is arn:aws:rds:<region>:<account>:pg:<name> (the ARN page's table: "DB parameter
      // group ... pg"); CreateDBParameterGroup returns it as DBParameterGroupArn.
      RDS_ARNS,
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBParameterGroup.html',
    ],
    name: { property: 'DBParameterGroupName', case: 'lower', maxLength: 255 },
    attributes: { DBParameterGroupArn: `${RDS_ARN}:pg:\${DBParameterGroupName}` },
  },
  'AWS::RDS::DBClusterParameterGroup': {
    sources: [
      returnValues('rds-dbclusterparametergroup'),
      // DBClusterParameterGroupName: 1 to 255 letters, numbers and hyphens, stored in lower case.
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBClusterParameterGroup.html',
    ],
    name: { property: 'DBClusterParameterGroupName', case: 'lower', maxLength: 255 },
  },
  'AWS::RDS::OptionGroup': {
    sources: [
      returnValues('rds-optiongroup'),
      // OptionGroupName: 1 to 255 letters, numbers and hyphens, stored in lower case.
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateOptionGroup.html',
    ],
    name: { property: 'OptionGroupName', case: 'lower', maxLength: 255 },
  },
  'AWS::RDS::DBProxy': {
    sources: [
      // Return values: DBProxyArn arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0123a01b12345c0ab,
      // Endpoint myproxy.proxy-demo.us-east-1.rds.amazonaws.com, VpcId (the subnets' VPC).
      returnValues('rds-dbproxy'),
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-connecting.html',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html',
    ],
    attributes: {
      DBProxyArn: `${RDS_ARN}:db-proxy:prx-\${Random:hex:17}`,
      Endpoint: `\${DBProxyName}.proxy-${ENDPOINT_ID}.\${AWS::Region}.rds.\${AWS::URLSuffix}`,
      VpcId: 'vpc-${Random:hex:17}',
    },
  },
};
