import { useState, type FormEvent } from 'react';
import { ApiError, logIn } from './api';
import { useI18n } from './i18n';

const DEMO_ACCOUNTS = [
  'admin.tuky',
  'staff.tuky',
  'htx.anthanh',
  'xavien.anthanh',
  'kiemtra.tuky',
  'buyer.hanoi',
  'htx.thoibinh',
];

export function LoginPage({ demo }: { demo: boolean }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await logIn(username, password);
    } catch (e) {
      setError(e instanceof ApiError ? t(`error.${e.body.code}`) : t('login.offline'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form onSubmit={submit} aria-label={t('login.title')}>
        <h1>{t('login.title')}</h1>
        <label>
          {t('login.username')}
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            required
          />
        </label>
        <label>
          {t('login.password')}
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      {demo && (
        <aside className="demo-accounts">
          <p>{t('login.demoAccounts')}</p>
          <ul>
            {DEMO_ACCOUNTS.map((account) => (
              <li key={account}>
                <button type="button" className="link" onClick={() => setUsername(account)}>
                  {account}
                </button>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </div>
  );
}
