// «Вы здесь?»: shown after a minute without a touch; a touch anywhere on it keeps the
// patient's screen, otherwise everything is cleared when the countdown ends.
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { plural } from '../../ui/format.js';

export function InactivityWarning({ secondsLeft, onStillHere }: { secondsLeft: number | null; onStillHere(): void }) {
  return (
    <ModalOverlay
      className="modal-overlay kiosk-overlay"
      isOpen={secondsLeft !== null}
      isDismissable
      onOpenChange={(open) => {
        if (!open) onStillHere();
      }}
    >
      <Modal className="modal kiosk-modal">
        <Dialog className="dialog" role="alertdialog">
          <Heading slot="title">Вы здесь?</Heading>
          <p className="kiosk-countdown">
            Экран очистится через {secondsLeft ?? 0} {plural(secondsLeft ?? 0, ['секунду', 'секунды', 'секунд'])}, чтобы
            ваши данные никто не увидел.
          </p>
          <Button className="kiosk-button kiosk-button-primary" onPress={onStillHere} autoFocus>
            Да, я здесь
          </Button>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
