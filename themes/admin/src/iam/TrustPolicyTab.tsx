import { useRealm } from "@keycloak/keycloak-admin-ui";
import {
  ActionGroup,
  Button,
  Dropdown,
  DropdownItem,
  DropdownList,
  Label,
  MenuToggle,
  PageSection,
  Spinner,
  Split,
  SplitItem,
  Text,
  TextContent,
} from "@patternfly/react-core";
import { CheckCircleIcon, ExclamationCircleIcon, ExclamationTriangleIcon } from "@patternfly/react-icons";
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Finding, IamApiError, IamRole, useIamApi } from "./api";
import { messageOf } from "./errors";
import { useLoad, useMutation } from "./hooks";
import { focusFinding, PolicyEditor } from "./PolicyEditor";
import { locateFindings } from "./pointer";
import { Template, TEMPLATES } from "./templates";

type Props = {
  text: string;
  onChange: (text: string) => void;
  canManage: boolean;
  isDirty: boolean;
  onReset: () => void;
  onSave: (trustPolicy: unknown) => Promise<IamRole>;
  onSaved: (role: IamRole) => void;
};

const VALIDATE_DELAY_MS = 400;

/** Whether a template can be valid in this realm, as the server validates it. */
type Applicability = { applies: boolean; reason?: string };

/**
 * A template applies when the server finds it valid and none of its principals names nothing (a principal
 * warning: the group, client, identity provider or realm it names does not exist here). Other warnings do not
 * keep it out; they are shown beside it.
 */
function applicabilityOf(result: { valid: boolean; findings: Finding[] }): Applicability {
  const principalWarning = result.findings.find((f) => /\/(Not)?Principal(\/|$)/.test(f.path ?? ""));
  if (!result.valid) return { applies: false, reason: result.findings.find((f) => f.severity === "error")?.message };
  if (principalWarning) return { applies: false, reason: principalWarning.message };
  return { applies: true, reason: result.findings[0]?.message };
}

export const TrustPolicyTab = ({ text, onChange, canManage, isDirty, onReset, onSave, onSaved }: Props) => {
  const { t } = useTranslation();
  const api = useIamApi();
  const { realm } = useRealm();
  const [findings, setFindings] = useState<Finding[]>([]);
  const [valid, setValid] = useState<boolean>();
  const [templatesOpen, setTemplatesOpen] = useState(false);
  // Each opening of the menu checks the templates again: the realm may have changed meanwhile (an identity
  // provider added in another tab, say).
  const [templatesChecked, setTemplatesChecked] = useState(0);
  const [applicable, setApplicable] = useState<Record<string, Applicability>>();
  const editorArea = useRef<HTMLDivElement>(null);

  // As the user types: validate on the server after a pause; a newer text aborts the older text's request.
  const validation = useLoad(
    (signal) => api.validate(text, { signal }),
    (result) => {
      setFindings(result.findings ?? []);
      setValid(result.valid);
    },
    [api, text],
    { delayMs: VALIDATE_DELAY_MS },
  );
  const templateCheck = useLoad(
    async (signal) => {
      setApplicable(undefined);
      if (templatesChecked === 0) return undefined;
      const results = await Promise.all(
        TEMPLATES.map(async (tpl) => [tpl.id, applicabilityOf(await api.validate(JSON.stringify(tpl.policy(realm)), { signal }))] as const),
      );
      return Object.fromEntries(results);
    },
    (result) => result && setApplicable(result),
    [api, realm, templatesChecked],
  );
  const templateState = (tpl: Template) => {
    if (templateCheck.error) return { state: "unknown", description: t("iamTemplateNotChecked", { error: messageOf(t as any, templateCheck.error) }) };
    const a = applicable?.[tpl.id];
    if (!a) return { state: "checking", description: t("iamTemplateChecking") };
    if (a.applies) return { state: "applies", description: a.reason };
    return { state: "needs", description: tpl.needsKey ? `${t(tpl.needsKey)} ${a.reason ? `(${a.reason})` : ""}` : a.reason };
  };

  const validating = validation.loading;
  const shown = useMemo<Finding[]>(
    () => (validation.error ? [{ severity: "error", path: "", message: messageOf(t as any, validation.error) }] : findings),
    [validation.error, findings, t],
  );
  const canSave = valid === true && !validation.error;

  const saving = useMutation((policy: unknown) => onSave(policy), {
    errorKey: "iamSaveError",
    successKey: "iamTrustPolicySaved",
    successParams: (role) => ({ name: role.name }),
    onSuccess: onSaved,
    onError: (error) => {
      if (error instanceof IamApiError && error.body.findings) setFindings(error.body.findings);
    },
  });

  const located = useMemo(() => locateFindings(text, shown), [text, shown]);
  const parses = useMemo(() => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  }, [text]);
  const errors = located.filter((f) => f.severity === "error").length;
  const warnings = located.length - errors;

  const save = () => {
    let policy: unknown;
    try {
      policy = JSON.parse(text);
    } catch {
      return; // the inline syntax error is already shown; Save is disabled for it anyway
    }
    void saving.run(policy);
  };

  return (
    <PageSection variant="light">
      <Split hasGutter className="pf-v5-u-mb-md">
        <SplitItem isFilled>
          <TextContent>
            <Text>{t("iamTrustPolicyExplain")}</Text>
          </TextContent>
        </SplitItem>
        {canManage && (
          <SplitItem>
            <Button variant="secondary" data-testid="iam-policy-format" isDisabled={!parses}
              onClick={() => onChange(JSON.stringify(JSON.parse(text), null, 2))}>
              {t("iamFormat")}
            </Button>
          </SplitItem>
        )}
        {canManage && (
          <SplitItem>
            <Dropdown
              isOpen={templatesOpen}
              onOpenChange={setTemplatesOpen}
              popperProps={{ position: "right" }}
              toggle={(ref) => (
                <MenuToggle ref={ref} data-testid="iam-templates" onClick={() => {
                  if (!templatesOpen) setTemplatesChecked((n) => n + 1);
                  setTemplatesOpen(!templatesOpen);
                }}>
                  {t("iamInsertTemplate")}
                </MenuToggle>
              )}
            >
              <DropdownList>
                {TEMPLATES.map((tpl) => {
                  // Only a template that is valid in this realm can be inserted; the others say what it needs.
                  const { state, description } = templateState(tpl);
                  return (
                    <DropdownItem
                      key={tpl.id}
                      data-testid={`iam-template-${tpl.id}`}
                      data-state={state}
                      isDisabled={state !== "applies"}
                      description={description}
                      onClick={() => {
                        if (state !== "applies") return;
                        onChange(JSON.stringify(tpl.policy(realm), null, 2));
                        setTemplatesOpen(false);
                      }}
                    >
                      {t(tpl.titleKey)}
                    </DropdownItem>
                  );
                })}
              </DropdownList>
            </Dropdown>
          </SplitItem>
        )}
      </Split>
      <div ref={editorArea}>
        <PolicyEditor value={text} onChange={onChange} findings={located} readOnly={!canManage} ariaLabel={t("iamTrustPolicy")} />
      </div>
      <div className="pf-v5-u-mt-sm" data-testid="iam-validation-status" aria-live="polite">
        {validating ? (
          <Label icon={<Spinner size="sm" />}>{t("iamValidating")}</Label>
        ) : errors > 0 ? (
          <Label color="red" icon={<ExclamationCircleIcon />}>{t("iamFindingsSummary", { errors, warnings })}</Label>
        ) : warnings > 0 ? (
          <Label color="orange" icon={<ExclamationTriangleIcon />}>{t("iamFindingsSummary", { errors, warnings })}</Label>
        ) : valid ? (
          <Label color="green" icon={<CheckCircleIcon />}>{t("iamPolicyValid")}</Label>
        ) : null}
      </div>
      {located.length > 0 && (
        <ul className="pf-v5-c-list pf-m-plain pf-v5-u-mt-sm" data-testid="iam-findings">
          {located.map((f, i) => (
            <li key={i} className={f.severity === "error" ? "pf-v5-u-danger-color-100" : "pf-v5-u-warning-color-200"}>
              {/* A syntax error's link puts the caret on the very character (its message says line and column). */}
              <Button variant="link" isInline data-testid={f.syntax ? "iam-syntax-error-link" : undefined}
                onClick={() => focusFinding(editorArea.current, f)}>
                {f.syntax ? t("iamLineColumn", { line: f.line, column: f.column }) : t("iamLine", { line: f.line })}
              </Button>{" "}
              <strong>{f.severity === "error" ? t("iamError") : t("iamWarning")}</strong>:{" "}
              {f.syntax ? f.message.replace(/^Line \d+, column \d+: /, "") : f.message}{" "}
              {f.path && <code className="pf-v5-u-color-200">{f.path}</code>}
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <ActionGroup className="pf-v5-u-mt-md">
          <Button data-testid="iam-policy-save" onClick={save} isLoading={saving.pending}
            isDisabled={!isDirty || saving.pending || validating || !canSave}>
            {t("save")}
          </Button>
          <Button variant="link" onClick={onReset} isDisabled={!isDirty}>
            {t("revert")}
          </Button>
        </ActionGroup>
      )}
    </PageSection>
  );
};
