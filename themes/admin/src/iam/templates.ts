/*
 * One-click trust-policy templates: the policies of docs/cookbook.md, with realm `acme` replaced by the
 * current realm where the cookbook means "this realm". Most name something the realm must have (a group, a
 * client, an identity provider, another realm): the editor validates each template on the server before offering
 * it and shows one that would not be valid here disabled, with `needsKey` saying what to configure first.
 */
export const EMPTY_POLICY = { Version: "2012-10-17", Statement: [] as unknown[] };

export type Template = {
  id: string;
  titleKey: string;
  /** What the realm must have for the template to be valid, in words (a message key); absent when nothing. */
  needsKey?: string;
  policy: (realm: string) => unknown;
};

const krn = (realm: string, rest: string) => `krn:keycloak:iam::${realm}:${rest}`;

export const TEMPLATES: Template[] = [
  {
    id: "mfa",
    needsKey: "iamTemplateNeedsGroup",
    titleKey: "iamTemplateMfa",
    policy: (realm) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "SreWithRecentMfa",
          Effect: "Allow",
          Principal: { Keycloak: krn(realm, "group/engineering/sre") },
          Action: "sts:AssumeRole",
          Condition: {
            Bool: { "kc:MultiFactorAuthPresent": "true" },
            NumericLessThan: { "kc:MultiFactorAuthAge": "3600" },
          },
        },
      ],
    }),
  },
  {
    id: "service-account",
    needsKey: "iamTemplateNeedsClient",
    titleKey: "iamTemplateServiceAccount",
    policy: (realm) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CiPipeline",
          Effect: "Allow",
          Principal: { Keycloak: krn(realm, "client/ci-pipeline") },
          Action: ["sts:AssumeRole", "sts:TagSession"],
        },
      ],
    }),
  },
  {
    id: "other-realm",
    needsKey: "iamTemplateNeedsPartners",
    titleKey: "iamTemplateOtherRealm",
    policy: () => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "PartnerAuditors",
          Effect: "Allow",
          Principal: { Keycloak: krn("partners", "root") },
          Action: "sts:AssumeRole",
          Condition: {
            "ForAnyValue:StringEquals": { "kc:Groups": "/auditors" },
            StringEquals: { "sts:ExternalId": "partners-2026" },
          },
        },
      ],
    }),
  },
  {
    id: "third-party",
    needsKey: "iamTemplateNeedsAuditFirm",
    titleKey: "iamTemplateThirdParty",
    policy: () => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AuditFirm",
          Effect: "Allow",
          Principal: { Keycloak: krn("audit-firm", "root") },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": "7f3e-audit" } },
        },
      ],
    }),
  },
  {
    id: "web-identity",
    needsKey: "iamTemplateNeedsGoogle",
    titleKey: "iamTemplateWebIdentity",
    policy: (realm) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "MobileApp",
          Effect: "Allow",
          Principal: { Keycloak: krn(realm, "identity-provider/google") },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "google:aud": "1234567890-app.apps.googleusercontent.com",
              "google:email_verified": "true",
            },
            StringLike: { "google:email": "*@acme.example" },
          },
        },
      ],
    }),
  },
  {
    id: "directory",
    needsKey: "iamTemplateNeedsLdap",
    titleKey: "iamTemplateDirectory",
    policy: (realm) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "FinanceFromAd",
          Effect: "Allow",
          Principal: { Keycloak: krn(realm, "user-federation/corp-ldap") },
          Action: "sts:AssumeRole",
          Condition: {
            "ForAnyValue:StringEquals": {
              "kc:Groups": "/ldap/finance",
              "kc:PrincipalAttribute/department": "finance",
            },
          },
        },
      ],
    }),
  },
  {
    id: "no-contractors",
    titleKey: "iamTemplateNoContractors",
    policy: (realm) => ({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Staff", Effect: "Allow", Principal: { Keycloak: krn(realm, "root") }, Action: "sts:AssumeRole" },
        {
          Sid: "NoContractors",
          Effect: "Deny",
          Principal: "*",
          Action: "sts:*",
          Condition: { "ForAnyValue:StringLike": { "kc:Groups": "/contractors*" } },
        },
      ],
    }),
  },
  {
    id: "own-sandbox",
    titleKey: "iamTemplateOwnSandbox",
    policy: (realm) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OwnSandbox",
          Effect: "Allow",
          Principal: { Keycloak: krn(realm, "root") },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "kc:ClientId": "${kc:Username}-sandbox" } },
        },
      ],
    }),
  },
  {
    id: "chaining",
    needsKey: "iamTemplateNeedsDeployer",
    titleKey: "iamTemplateChaining",
    policy: (realm) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "FromDeployer",
          Effect: "Allow",
          Principal: { Keycloak: krn(realm, "role/engineering/production-deployer") },
          Action: "sts:AssumeRole",
        },
      ],
    }),
  },
];
