import { useRealm } from "@keycloak/keycloak-admin-ui";
import {
  ActionGroup,
  Alert,
  Button,
  CodeBlock,
  CodeBlockCode,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  ExpandableSection,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  PageSection,
  TextInput,
} from "@patternfly/react-core";
import { MinusCircleIcon, PlusCircleIcon } from "@patternfly/react-icons";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IamApiError, IamRole, SimulationRequest, SimulationResult, useIamApi } from "./api";
import { fieldErrors } from "./errors";
import { useMutation } from "./hooks";

/** The actions a trust policy can allow (docs/assume-role.md, docs/sessions.md). */
const ACTIONS = [
  "sts:AssumeRole",
  "sts:AssumeRoleWithWebIdentity",
  "sts:AssumeRoleWithSAML",
  "sts:TagSession",
  "sts:SetSourceIdentity",
];

type ContextRow = { key: string; value: string };

export const SimulateTab = ({ role }: { role: IamRole }) => {
  const { t } = useTranslation();
  const api = useIamApi();
  const { realm } = useRealm();
  const [principal, setPrincipal] = useState(`krn:keycloak:iam::${realm}:user/`);
  const [action, setAction] = useState(ACTIONS[0]);
  const [context, setContext] = useState<ContextRow[]>([]);
  const [result, setResult] = useState<SimulationResult>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Read-only: leaving the tab aborts it.
  const simulation = useMutation((req: SimulationRequest, signal) => api.simulate(req, { signal }), {
    errorKey: "iamSimulateError",
    onSuccess: setResult,
    onError: (error) => error instanceof IamApiError && setErrors(fieldErrors(error.body)),
    abortOnUnmount: true,
  });

  const setRow = (i: number, patch: Partial<ContextRow>) =>
    setContext(context.map((row, n) => (n === i ? { ...row, ...patch } : row)));

  const simulate = () => {
    if (simulation.pending) return;
    setErrors({});
    setResult(undefined);
    const ctx: Record<string, string | string[]> = {};
    for (const { key, value } of context) {
      if (!key.trim()) continue;
      // Several values of one key (e.g. kc:Groups) are written one per row with the same key.
      const k = key.trim();
      ctx[k] = k in ctx ? [...([] as string[]).concat(ctx[k]), value] : value;
    }
    void simulation.run({ role: role.name, principal: principal.trim(), action, context: ctx });
  };

  const allowed = result?.decision === "allow";
  const contextErrors = Object.entries(errors).filter(([f]) => f.startsWith("context"));

  return (
    <PageSection variant="light">
      <Form isHorizontal onSubmit={(e) => { e.preventDefault(); simulate(); }} style={{ maxWidth: "60rem" }}>
        <FormGroup label={t("iamPrincipal")} isRequired fieldId="iam-sim-principal">
          <TextInput id="iam-sim-principal" data-testid="iam-sim-principal" value={principal}
            validated={errors.principal ? "error" : "default"} onChange={(_e, v) => setPrincipal(v)} />
          <FormHelperText>
            <HelperText>
              <HelperTextItem variant={errors.principal ? "error" : "default"}>{errors.principal || t("iamPrincipalHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <FormGroup label={t("iamAction")} fieldId="iam-sim-action">
          <FormSelect id="iam-sim-action" data-testid="iam-sim-action" value={action} onChange={(_e, v) => setAction(v)}>
            {ACTIONS.map((a) => <FormSelectOption key={a} value={a} label={a} />)}
          </FormSelect>
        </FormGroup>
        <FormGroup label={t("iamContext")} fieldId="iam-sim-context" role="group">
          {context.map((row, i) => (
            <div key={i} className="pf-v5-u-display-flex pf-v5-u-mb-sm" data-testid="iam-sim-context-row">
              <TextInput aria-label={t("key")} placeholder="kc:MultiFactorAuthPresent" value={row.key} className="pf-v5-u-mr-sm"
                data-testid="iam-sim-context-key" onChange={(_e, v) => setRow(i, { key: v })}
                validated={errors[`context.${row.key}`] ? "error" : "default"} />
              <TextInput aria-label={t("value")} placeholder="true" value={row.value} className="pf-v5-u-mr-sm"
                data-testid="iam-sim-context-value" onChange={(_e, v) => setRow(i, { value: v })} />
              <Button variant="plain" aria-label={t("remove")} onClick={() => setContext(context.filter((_, n) => n !== i))}>
                <MinusCircleIcon />
              </Button>
            </div>
          ))}
          <Button variant="link" icon={<PlusCircleIcon />} className="pf-v5-u-px-0" data-testid="iam-sim-context-add"
            onClick={() => setContext([...context, { key: "", value: "" }])}>
            {t("iamAddContextKey")}
          </Button>
          <FormHelperText>
            <HelperText>
              {contextErrors.length > 0
                ? contextErrors.map(([f, m]) => <HelperTextItem key={f} variant="error">{`${f}: ${m}`}</HelperTextItem>)
                : <HelperTextItem>{t("iamContextHelp")}</HelperTextItem>}
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <ActionGroup>
          <Button type="submit" data-testid="iam-sim-run" isLoading={simulation.pending} isDisabled={simulation.pending}>{t("iamRunSimulation")}</Button>
        </ActionGroup>
      </Form>
      {result && (
        <div className="pf-v5-u-mt-lg" data-testid="iam-sim-result" data-decision={result.decision}>
          <Alert
            variant={allowed ? "success" : "danger"}
            isInline
            title={t(allowed ? "iamDecisionAllow" : result.decision === "explicitDeny" ? "iamDecisionExplicitDeny" : "iamDecisionImplicitDeny")}
          >
            {result.matchedStatements && result.matchedStatements.length > 0
              ? t("iamMatchedStatements", { statements: result.matchedStatements.join(", ") })
              : t("iamNoStatementMatched")}
          </Alert>
          <DescriptionList isHorizontal className="pf-v5-u-mt-md">
            <DescriptionListGroup>
              <DescriptionListTerm>{t("iamReasons")}</DescriptionListTerm>
              <DescriptionListDescription>
                <ul className="pf-v5-c-list" data-testid="iam-sim-explanation">
                  {(result.explanation ?? []).map((line, i) => <li key={i}>{line}</li>)}
                </ul>
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>{t("iamPrincipals")}</DescriptionListTerm>
              <DescriptionListDescription>
                <ul className="pf-v5-c-list">{(result.principals ?? []).map((p) => <li key={p}><code>{p}</code></li>)}</ul>
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>{t("iamAction")}</DescriptionListTerm>
              <DescriptionListDescription><code>{result.action}</code></DescriptionListDescription>
            </DescriptionListGroup>
          </DescriptionList>
          <ExpandableSection toggleText={t("iamEvaluatedContext")} className="pf-v5-u-mt-md">
            <CodeBlock>
              <CodeBlockCode>{JSON.stringify(result.context ?? {}, null, 2)}</CodeBlockCode>
            </CodeBlock>
          </ExpandableSection>
        </div>
      )}
    </PageSection>
  );
};
