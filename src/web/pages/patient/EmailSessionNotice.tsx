// On the main person's card in an e-mail session: which visits it cannot show (SPEC 6), and
// «Войти через Госуслуги», which would show them.
import { Notice } from '../../ui/Notice.js';
import { useSession } from '../../session.js';
import { EsiaLoginButton } from '../esia/EsiaLoginButton.js';

export function EmailSessionNotice() {
  const { account } = useSession();
  if (account?.authMethod !== 'password') return null;
  return (
    <Notice title="Показаны только записи через портал">
      <p>
        Вы вошли по адресу электронной почты, поэтому здесь видны только записи, сделанные через портал. Записи в
        регистратуре, у врача, на инфомате и в электронной очереди не показываются.
      </p>
      <EsiaLoginButton next="/cardfile" inline lead="Чтобы видеть все свои записи, войдите через Госуслуги." />
    </Notice>
  );
}
