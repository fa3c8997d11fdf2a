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
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Finding, IamApiError, useIamApi } from "./api";
import { focusLine, locateFindings, PolicyEditor } from "./PolicyEditor";
import { TEMPLATES } from "./templates";

type Props = {
  text: string;
  onChange: (text: string) => void;
  canManage: boolean;
  isDirty: boolean;
  onReset: () => void;
  onSave: (trustPolicy: unknown) => Promise<unknown>;
};

const VALIDATE_DELAY_MS = 400;

export const TrustPolicyTab = ({ text, onChange, canManage, isDirty, onReset, onSave }: Props) => {
  const { t } = useTranslation();
  const api = useIamApi();
  const { realm } = useRealm();
  const [findings, setFindings] = useState<Finding[]>([]);
  const [valid, setValid] = useState<boolean>();
  const [validating, setValidating] = useState(false);
  const [templatesOpen, setTemplatesOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const editorArea = useRef<HTMLDivElement>(null);

  // As the user types: validate on the server after a pause; answers to older texts are dropped.
  useEffect(() => {
    let current = true;
    setValidating(true);
    const timer = setTimeout(() => {
      api
        .validate(text)
        .then((result) => {
          if (!current) return;
          setFindings(result.findings ?? []);
          setValid(result.valid);
        })
        .catch((error) => {
          if (!current) return;
          setFindings([{ severity: "error", path: "", message: error instanceof Error ? error.message : String(error) }]);
          setValid(false);
        })
        .finally(() => current && setValidating(false));
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, text]);

  const located = useMemo(() => locateFindings(text, findings), [text, findings]);
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

  const save = async () => {
    let policy: unknown;
    try {
      policy = JSON.parse(text);
    } catch {
      return; // the inline syntax error is already shown; Save is disabled for it anyway
    }
    setBusy(true);
    try {
      await onSave(policy);
    } catch (error) {
      if (error instanceof IamApiError && error.body.findings) setFindings(error.body.findings);
    } finally {
      setBusy(false);
    }
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
                <MenuToggle ref={ref} data-testid="iam-templates" onClick={() => setTemplatesOpen(!templatesOpen)}>
                  {t("iamInsertTemplate")}
                </MenuToggle>
              )}
            >
              <DropdownList>
                {TEMPLATES.map((tpl) => (
                  <DropdownItem
                    key={tpl.id}
                    data-testid={`iam-template-${tpl.id}`}
                    onClick={() => {
                      onChange(JSON.stringify(tpl.policy(realm), null, 2));
                      setTemplatesOpen(false);
                    }}
                  >
                    {t(tpl.titleKey)}
                  </DropdownItem>
                ))}
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
              <Button variant="link" isInline onClick={() => focusLine(editorArea.current, f.line)}>
                {t("iamLine", { line: f.line })}
              </Button>{" "}
              <strong>{f.severity === "error" ? t("iamError") : t("iamWarning")}</strong>: {f.message}{" "}
              {f.path && <code className="pf-v5-u-color-200">{f.path}</code>}
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <ActionGroup className="pf-v5-u-mt-md">
          <Button data-testid="iam-policy-save" onClick={save} isLoading={busy}
            isDisabled={!isDirty || busy || validating || valid === false}>
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
