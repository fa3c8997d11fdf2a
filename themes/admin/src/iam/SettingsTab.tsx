import { TimeSelector } from "@keycloak/keycloak-admin-ui";
import {
  ActionGroup,
  Button,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  PageSection,
  TextArea,
  TextInput,
} from "@patternfly/react-core";
import { MinusCircleIcon, PlusCircleIcon } from "@patternfly/react-icons";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IamApiError, IamRole } from "./api";
import { fieldErrors } from "./errors";
import { useMutation } from "./hooks";

export type TagRow = { key: string; value: string };
export type SettingsDraft = {
  path: string;
  description: string;
  maxSessionDuration: number;
  maxChainedSessionDuration: number | "";
  tags: TagRow[];
};

export const settingsOf = (role: IamRole): SettingsDraft => ({
  path: role.path ?? "/",
  description: role.description ?? "",
  maxSessionDuration: role.maxSessionDuration ?? 3600,
  maxChainedSessionDuration: role.maxChainedSessionDuration ?? "",
  tags: Object.entries(role.tags ?? {}).map(([key, value]) => ({ key, value })),
});

type Props = {
  role: IamRole;
  draft: SettingsDraft;
  onChange: (draft: SettingsDraft) => void;
  canManage: boolean;
  isDirty: boolean;
  onReset: () => void;
  onSave: (changes: Partial<IamRole>) => Promise<IamRole>;
  onSaved: (role: IamRole) => void;
};

export const SettingsTab = ({ role, draft, onChange, canManage, isDirty, onReset, onSave, onSaved }: Props) => {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const saving = useMutation((changes: Partial<IamRole>) => onSave(changes), {
    errorKey: "iamSaveError",
    successKey: "iamRoleSaved",
    successParams: (saved) => ({ name: saved.name }),
    onSuccess: onSaved,
    onError: (error) => error instanceof IamApiError && setErrors(fieldErrors(error.body)),
  });
  const set = (patch: Partial<SettingsDraft>) => onChange({ ...draft, ...patch });
  const setTag = (i: number, patch: Partial<TagRow>) =>
    set({ tags: draft.tags.map((row, n) => (n === i ? { ...row, ...patch } : row)) });

  const save = () => {
    if (saving.pending) return;
    setErrors({});
    const tags: Record<string, string> = {};
    for (const { key, value } of draft.tags) if (key.trim() !== "" || value !== "") tags[key.trim()] = value;
    // PUT replaces every field: an empty max chained duration is sent as absent, which means "not set".
    const changes: Partial<IamRole> = {
      path: draft.path,
      description: draft.description,
      maxSessionDuration: draft.maxSessionDuration,
      maxChainedSessionDuration: draft.maxChainedSessionDuration === "" ? undefined : draft.maxChainedSessionDuration,
      tags,
    };
    void saving.run(changes);
  };

  const helper = (field: string, help?: string) =>
    errors[field] || help ? (
      <FormHelperText>
        <HelperText>
          <HelperTextItem variant={errors[field] ? "error" : "default"}>{errors[field] || help}</HelperTextItem>
        </HelperText>
      </FormHelperText>
    ) : null;
  const tagErrors = Object.entries(errors).filter(([f]) => f === "tags" || f.startsWith("tags."));

  return (
    <PageSection variant="light">
      <Form isHorizontal onSubmit={(e) => e.preventDefault()} style={{ maxWidth: "60rem" }}>
        <FormGroup label={t("name")} fieldId="iam-name">
          <TextInput id="iam-name" value={role.name} readOnlyVariant="default" data-testid="iam-settings-name" />
          {helper("name", t("iamNameReadOnly"))}
        </FormGroup>
        <FormGroup label={t("iamPath")} fieldId="iam-path">
          <TextInput id="iam-path" data-testid="iam-settings-path" value={draft.path} isDisabled={!canManage}
            validated={errors.path ? "error" : "default"} onChange={(_e, v) => set({ path: v })} />
          {helper("path", t("iamPathHelp"))}
        </FormGroup>
        <FormGroup label={t("description")} fieldId="iam-description">
          <TextArea id="iam-description" data-testid="iam-settings-description" value={draft.description} isDisabled={!canManage}
            validated={errors.description ? "error" : "default"} onChange={(_e, v) => set({ description: v })} />
          {helper("description")}
        </FormGroup>
        <FormGroup label={t("iamMaxSessionDuration")} fieldId="iam-max-session">
          <TimeSelector id="iam-max-session" data-testid="iam-settings-max-session" value={draft.maxSessionDuration}
            units={["minute", "hour"]} isDisabled={!canManage} menuAppendTo="parent"
            validated={errors.maxSessionDuration ? "error" : "default"}
            onChange={(v) => set({ maxSessionDuration: Number(v) })} />
          {helper("maxSessionDuration", t("iamMaxSessionDurationHelp"))}
        </FormGroup>
        <FormGroup label={t("iamMaxChainedSessionDuration")} fieldId="iam-max-chained">
          <TimeSelector id="iam-max-chained" data-testid="iam-settings-max-chained"
            value={draft.maxChainedSessionDuration === "" ? undefined : draft.maxChainedSessionDuration}
            units={["minute", "hour"]} isDisabled={!canManage} menuAppendTo="parent"
            validated={errors.maxChainedSessionDuration ? "error" : "default"}
            onChange={(v) => set({ maxChainedSessionDuration: v === "" || v === undefined || Number.isNaN(Number(v)) ? "" : Number(v) })} />
          {helper("maxChainedSessionDuration", t("iamMaxChainedSessionDurationHelp"))}
        </FormGroup>
        <FormGroup label={t("iamTags")} fieldId="iam-tags" role="group">
          {draft.tags.map((row, i) => (
            <div key={i} className="pf-v5-u-display-flex pf-v5-u-mb-sm" data-testid="iam-tag-row">
              <TextInput aria-label={t("key")} placeholder={t("key")} value={row.key} isDisabled={!canManage}
                validated={errors[`tags.${row.key}`] ? "error" : "default"} className="pf-v5-u-mr-sm"
                onChange={(_e, v) => setTag(i, { key: v })} data-testid="iam-tag-key" />
              <TextInput aria-label={t("value")} placeholder={t("value")} value={row.value} isDisabled={!canManage}
                className="pf-v5-u-mr-sm" onChange={(_e, v) => setTag(i, { value: v })} data-testid="iam-tag-value" />
              {canManage && (
                <Button variant="plain" aria-label={t("remove")}
                  onClick={() => set({ tags: draft.tags.filter((_, n) => n !== i) })}>
                  <MinusCircleIcon />
                </Button>
              )}
            </div>
          ))}
          {canManage && (
            <Button variant="link" icon={<PlusCircleIcon />} className="pf-v5-u-px-0" data-testid="iam-tag-add"
              onClick={() => set({ tags: [...draft.tags, { key: "", value: "" }] })}>
              {t("iamAddTag")}
            </Button>
          )}
          {tagErrors.length > 0 && (
            <FormHelperText>
              <HelperText>
                {tagErrors.map(([f, m]) => (
                  <HelperTextItem key={f} variant="error">{`${f}: ${m}`}</HelperTextItem>
                ))}
              </HelperText>
            </FormHelperText>
          )}
        </FormGroup>
        {canManage && (
          <ActionGroup>
            <Button data-testid="iam-settings-save" onClick={save} isDisabled={!isDirty || saving.pending} isLoading={saving.pending}>
              {t("save")}
            </Button>
            <Button variant="link" onClick={() => { setErrors({}); onReset(); }} isDisabled={!isDirty}>
              {t("revert")}
            </Button>
          </ActionGroup>
        )}
      </Form>
    </PageSection>
  );
};
