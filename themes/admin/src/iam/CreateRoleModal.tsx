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
import { IamApiError, IamRole, useIamApi } from "./api";
import { fieldErrors } from "./errors";
import { useMutation } from "./hooks";
import { EMPTY_POLICY } from "./templates";

type Props = { onClose: () => void; onCreated: (role: IamRole) => void };

export const CreateRoleModal = ({ onClose, onCreated }: Props) => {
  const { t } = useTranslation();
  const api = useIamApi();
  const [name, setName] = useState("");
  const [path, setPath] = useState("/");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation((role: IamRole) => api.createRole(role), {
    errorKey: "iamCreateError",
    successKey: "iamRoleCreated",
    successParams: (created) => ({ name: created.name }),
    onSuccess: onCreated,
    onError: (error) => {
      if (error instanceof IamApiError)
        // 409: a role of that name exists (names are compared ignoring case); the answer names no field.
        setErrors(error.status === 409 ? { name: error.message } : fieldErrors(error.body));
    },
  });

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!name.trim()) {
      setErrors({ name: t("required") });
      return;
    }
    setErrors({});
    void create.run({ name: name.trim(), path: path.trim() || "/", description, trustPolicy: EMPTY_POLICY });
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
        <Button key="create" data-testid="iam-create-confirm" onClick={() => submit()} isLoading={create.pending} isDisabled={create.pending}>
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
