import type { TypeFormat } from '../format.js';

/** A type's "Return values" section in the CloudFormation template reference. */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

/**
 * ELB ARNs: `loadbalancer/app|net|gwy/<name>/<16 hex>`, `targetgroup/<name>/<16 hex>`, a listener's the load
 * balancer's with `listener/` and another 16 hex. (A listener rule's is its listener's with `listener-rule/` and
 * 16 more, but the registry schema does not require the ListenerArn CreateRule needs, so a rule without one
 * would still need an invented ARN: AWS::ElasticLoadBalancingV2::ListenerRule is left to the generic rules.)
 */
const ELB_ARNS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_elasticloadbalancingv2.html#elasticloadbalancingv2-resources-for-iam-policies';
const ELB_ARN = 'arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}';

/**
 * The Route 53 hosted zone of a Region's load balancers, one column for Application (and Classic) Load
 * Balancers and one for Network Load Balancers ("Elastic Load Balancing endpoints and quotas",
 * https://docs.aws.amazon.com/general/latest/gr/elb.html#elb_region; the same tables are kept in
 * https://github.com/kubernetes-sigs/external-dns/blob/master/provider/aws/aws.go and terraform-provider-aws's
 * hosted_zone_id data source). A Region the table does not list keeps its own name: no zone is made up.
 */
const ALB_ZONES =
  'af-south-1=Z268VQBMOI5EKX,ap-east-1=Z3DQVH9N71FHZ0,ap-northeast-1=Z14GRHDCWA56QT,ap-northeast-2=ZWKZPGTI48KDX,' +
  'ap-northeast-3=Z5LXEXXYW11ES,ap-south-1=ZP97RAFLXTNZK,ap-south-2=Z0173938T07WNTVAEPZN,ap-southeast-1=Z1LMS91P8CMLE5,' +
  'ap-southeast-2=Z1GM3OXH4ZPM65,ap-southeast-3=Z08888821HLRG5A9ZRTER,ca-central-1=ZQSVJUPU6J1EY,cn-north-1=Z1GDH35T77C1KE,' +
  'cn-northwest-1=ZM7IZAIOVVDZF,eu-central-1=Z215JYRZR1TBD5,eu-central-2=Z06391101F2ZOEP8P5EB3,eu-north-1=Z23TAZ6LKFMNIO,' +
  'eu-south-1=Z3ULH7SSC9OV64,eu-south-2=Z0956581394HF5D5LXGAP,eu-west-1=Z32O12XQLNTSW2,eu-west-2=ZHURV8PSTC4K8,' +
  'eu-west-3=Z3Q77PNBQS71R4,me-central-1=Z08230872XQRWHG2XF6I,me-south-1=ZS929ML54UICD,sa-east-1=Z2P70J7HTTTPLU,' +
  'us-east-1=Z35SXDOTRQ7X7K,us-east-2=Z3AADJGX6KTTL2,us-gov-east-1=Z166TLBEWOO7G0,us-gov-west-1=Z33AYJ8TM3BH4J,' +
  'us-west-1=Z368ELLRRE2KJ0,us-west-2=Z1H1FL5HABSF5';
const NLB_ZONES =
  'af-south-1=Z203XCE67M25HM,ap-east-1=Z12Y7K3UBGUAD1,ap-northeast-1=Z31USIVHYNEOWT,ap-northeast-2=ZIBE1TIR4HY56,' +
  'ap-northeast-3=Z1GWIQ4HH19I5X,ap-south-1=ZVDDRBQ08TROA,ap-south-2=Z0711778386UTO08407HT,ap-southeast-1=ZKVM4W9LS7TM,' +
  'ap-southeast-2=ZCT6FZBF4DROD,ap-southeast-3=Z01971771FYVNCOVWJU1G,ap-southeast-4=Z01156963G8MIIL7X90IV,ca-central-1=Z2EPGBW3API2WT,' +
  'cn-north-1=Z3QFB96KMJ7ED6,cn-northwest-1=ZQEIKTCZ8352D,eu-central-1=Z3F0SRJ5LGBH90,eu-central-2=Z02239872DOALSIDCX66S,' +
  'eu-north-1=Z1UDT6IFJ4EJM,eu-south-1=Z23146JA1KNAFP,eu-south-2=Z1011216NVTVYADP1SSV,eu-west-1=Z2IFOLAFXWLO4F,' +
  'eu-west-2=ZD4D7Y8KGAS4G,eu-west-3=Z1CMS0P5QUZ6D5,me-central-1=Z00282643NTTLPANJJG2P,me-south-1=Z3QSRYVP46NYYV,' +
  'sa-east-1=ZTK26PT1VY4CU,us-east-1=Z26RNL4JYFTOTI,us-east-2=ZLMOA37VPKANP,us-gov-east-1=Z1ZSMQQ6Q24QQ8,' +
  'us-gov-west-1=ZMG1MZ2THAWF1,us-west-1=Z24FKFUX50B4VW,us-west-2=Z18D5FSROUN65G';

/** An internal load balancer's DNS name starts with `internal-`. */
const INTERNAL = '${Scheme|map:internal=internal-,*=}';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    sources: [
      // Return values: LoadBalancerArn, LoadBalancerFullName app/my-load-balancer/50dc6c495c0c9188, LoadBalancerName,
      // DNSName my-load-balancer-424835706.us-west-2.elb.amazonaws.com, CanonicalHostedZoneID Z2P70J7EXAMPLE.
      // Type "The default is application"; Scheme "The default is an Internet-facing load balancer"; IpAddressType ipv4.
      returnValues('elasticloadbalancingv2-loadbalancer'),
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-loadbalancer.html#aws-resource-elasticloadbalancingv2-loadbalancer-properties',
      ELB_ARNS,
      // A Network Load Balancer's DNS name puts `elb` before the Region and ends its name with 16 hex characters,
      // e.g. my-network-load-balancer-1234567890abcdef.elb.us-east-2.amazonaws.com (published ones read
      // rabbit-chat-27f072f1b3fbf05b.elb.us-east-1.amazonaws.com). Whether they are its ARN's id no source says:
      // they are drawn apart.
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html',
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html',
      'https://docs.aws.amazon.com/general/latest/gr/elb.html#elb_region',
      // Name: up to 32 alphanumeric characters or hyphens.
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html',
    ],
    name: { property: 'Name', maxLength: 32 },
    defaults: { Type: 'application', Scheme: 'internet-facing', IpAddressType: 'ipv4' },
    attributes: {
      LoadBalancerName: '${Name}',
      LoadBalancerArn: `${ELB_ARN}:loadbalancer/\${Type|map:application=app,network=net,gateway=gwy}/\${Name}/\${Random:hex:16}`,
      LoadBalancerFullName: '${LoadBalancerArn|last:loadbalancer/}',
      DNSName: {
        on: 'Type',
        cases: { network: `${INTERNAL}\${Name}-\${Random:hex:16}.elb.\${AWS::Region}.\${AWS::URLSuffix}` },
        else: `${INTERNAL}\${Name}-\${Random:digits:10}.\${AWS::Region}.elb.\${AWS::URLSuffix}`,
      },
      CanonicalHostedZoneID: { on: 'Type', cases: { network: `\${AWS::Region|map:${NLB_ZONES}}` }, else: `\${AWS::Region|map:${ALB_ZONES}}` },
    },
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    sources: [
      // Return values: TargetGroupArn, TargetGroupFullName targetgroup/my-target-group/cbf133c568e0d028,
      // TargetGroupName, LoadBalancerArns (none until a listener or rule forwards to it).
      returnValues('elasticloadbalancingv2-targetgroup'),
      ELB_ARNS,
      // Name: up to 32 alphanumeric characters or hyphens.
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html',
    ],
    name: { property: 'Name', maxLength: 32 },
    attributes: {
      TargetGroupName: '${Name}',
      TargetGroupArn: `${ELB_ARN}:targetgroup/\${Name}/\${Random:hex:16}`,
      TargetGroupFullName: '${TargetGroupArn|last::}',
      LoadBalancerArns: { value: [] },
    },
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    sources: [
      // Return values: ListenerArn arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/my-load-balancer/50dc6c495c0c9188/f2f7dc8efc522ab2.
      returnValues('elasticloadbalancingv2-listener'),
      ELB_ARNS,
    ],
    attributes: { ListenerArn: '${LoadBalancerArn|replace::loadbalancer/=:listener/}/${Random:hex:16}' },
  },
};
