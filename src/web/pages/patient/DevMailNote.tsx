// In demo mode letters go to a development mailbox instead of the post; say so only
// when that mailbox answers.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.js';
import { Notice } from '../../ui/Notice.js';

export function DevMailNote() {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    let alive = true;
    api
      .get<unknown>('/api/dev/mail')
      .then(() => alive && setAvailable(true))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  if (!available) return null;
  return (
    <Notice title="Демонстрационный режим">
      <p>
        Письма не уходят на почту: их можно прочитать в <Link to="/dev/mail">почтовом ящике для разработки</Link>.
      </p>
    </Notice>
  );
}
