// A modal confirmation (ConfirmDialogModal.tsx) whose code loads apart from the page: a page
// with a closed dialog (every visit's «Отменить визит» in the card file) does not fetch or run
// react-aria's modal before its first paint. The code is fetched when the browser is idle after
// the page rendered, or at once when a dialog opens first.
import { lazy, Suspense, useEffect } from 'react';
import type { ConfirmDialogProps } from './ConfirmDialogModal.js';
import { whenIdle } from './idle.js';

const load = () => import('./ConfirmDialogModal.js');
const Modal = lazy(() => load().then((m) => ({ default: m.ConfirmDialogModal })));

export function ConfirmDialog(props: ConfirmDialogProps) {
  useEffect(() => whenIdle(() => void load().catch(() => undefined)), []);
  if (!props.isOpen) return null;
  return (
    <Suspense fallback={null}>
      <Modal {...props} />
    </Suspense>
  );
}
