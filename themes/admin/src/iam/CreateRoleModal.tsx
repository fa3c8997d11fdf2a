import {
  Button,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Modal,
  ModalVariant,
  TextArea,
  TextInput,
} from "@patternfly/react-core";
import { FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiErrorBody, IamApiError, IamRole, useIamApi } from "./api";
import { useIamAlerts } from "./alerts";
import { EMPTY_POLICY } from "./templates";

type Props = { onClose: () => void; onCreated: (role: IamRole) => void };

/** Errors of the API named by field, shown under the matching input as Keycloak's forms do. */
export function fieldErrors(body: ApiErrorBody | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const e of body?.errors ?? []) if (e.field) result[e.field] = e.errorMessage ?? "";
  if (body?.field && !result[body.field]) result[body.field] = body.errorMessage ?? "";
  return result;
}

export const CreateRoleModal = ({ onClose, onCreated }: Props) => {
  const { t } = useTranslation();
  const api = useIamApi();
  const { success, failure } = useIamAlerts();
  const [name, setName] = useState("");
  const [path, setPath] = useState("/");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!name.trim()) {
      setErrors({ name: t("required") });
      return;
    }
    setBusy(true);
    try {
      const created = await api.createRole({
        name: name.trim(),
        path: path.trim() || "/",
        description,
        trustPolicy: EMPTY_POLICY,
      });
      success("iamRoleCreated", { name: created.name });
      onCreated(created);
    } catch (error) {
      if (error instanceof IamApiError)
        // 409: a role of that name exists (names are compared ignoring case); the answer names no field.
        setErrors(error.status === 409 ? { name: error.message } : fieldErrors(error.body));
      failure("iamCreateError", error);
    } finally {
      setBusy(false);
    }
  };

  const helper = (field: string) =>
    errors[field] ? (
      <FormHelperText>
        <HelperText>
          <HelperTextItem variant="error">{errors[field]}</HelperTextItem>
        </HelperText>
      </FormHelperText>
    ) : null;

  return (
    <Modal
      variant={ModalVariant.small}
      title={t("iamCreateRole")}
      isOpen
      onClose={onClose}
      actions={[
        <Button key="create" data-testid="iam-create-confirm" onClick={() => submit()} isLoading={busy} isDisabled={busy}>
          {t("create")}
        </Button>,
        <Button key="cancel" variant="link" onClick={onClose}>
          {t("cancel")}
        </Button>,
      ]}
    >
      <Form id="iam-create-role" onSubmit={submit}>
        <FormGroup label={t("name")} isRequired fieldId="iam-role-name">
          <TextInput
            id="iam-role-name"
            data-testid="iam-role-name"
            value={name}
            onChange={(_e, v) => setName(v)}
            validated={errors.name ? "error" : "default"}
            autoFocus
          />
          {helper("name")}
        </FormGroup>
        <FormGroup label={t("iamPath")} fieldId="iam-role-path">
          <TextInput
            id="iam-role-path"
            data-testid="iam-role-path"
            value={path}
            onChange={(_e, v) => setPath(v)}
            validated={errors.path ? "error" : "default"}
          />
          {helper("path")}
        </FormGroup>
        <FormGroup label={t("description")} fieldId="iam-role-description">
          <TextArea
            id="iam-role-description"
            value={description}
            onChange={(_e, v) => setDescription(v)}
            validated={errors.description ? "error" : "default"}
          />
          {helper("description")}
        </FormGroup>
        <p className="pf-v5-u-color-200">{t("iamCreateRoleHint")}</p>
      </Form>
    </Modal>
  );
};
