// A modal confirmation (react-aria-components Modal + Dialog): a question, a confirming
// button and a way out. The action runs inside; its error is shown in the dialog.
// Without `onConfirm` it is an explanation with a single «Закрыть» button.
// Pages use it through ConfirmDialog.tsx, which loads this module (and react-aria's modal,
// ~17 kB compressed) only after the page has rendered.
import { useState, type ReactNode } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { Button } from './Button.js';

export interface ConfirmDialogProps {
  isOpen: boolean;
  onClose(): void;
  title: string;
  children?: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  /** Runs the action; throw an Error with a Russian message to keep the dialog open. */
  onConfirm?: () => Promise<void>;
  danger?: boolean;
}

export function ConfirmDialogModal({
  isOpen,
  onClose,
  title,
  children,
  confirmLabel = 'Подтвердить',
  cancelLabel = 'Отмена',
  onConfirm,
  danger = false,
}: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    if (busy) return;
    setError(null);
    onClose();
  };
  const confirm = async () => {
    if (!onConfirm) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Что-то пошло не так. Попробуйте ещё раз.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={isOpen}
      onOpenChange={(open) => {
        if (!open) close();
      }}
      isDismissable={!busy}
      isKeyboardDismissDisabled={busy}
    >
      <Modal className="modal">
        <Dialog className="dialog" role={onConfirm ? 'alertdialog' : 'dialog'}>
          <Heading slot="title">{title}</Heading>
          {children}
          {error && (
            <p className="dialog-error" role="alert">
              {error}
            </p>
          )}
          <div className="button-row">
            {onConfirm ? (
              <>
                <Button variant={danger ? 'warning' : 'primary'} isPending={busy} onPress={() => void confirm()}>
                  {confirmLabel}
                </Button>
                <Button variant="secondary" isDisabled={busy} onPress={close}>
                  {cancelLabel}
                </Button>
              </>
            ) : (
              <Button variant="secondary" onPress={close}>
                Закрыть
              </Button>
            )}
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
