// The recent audit log: when, who, what changed from -> to.
import type { AuditEntry } from '../../../shared/api/index.js';
import { formatInstant, isoOf } from '../../ui/staff/format.js';
import { auditActor, describeAudit } from './operator.forms.js';

export function AuditLog({
  entries,
  organisationNames,
  timeZone = null,
}: {
  entries: AuditEntry[];
  organisationNames: ReadonlyMap<string, string>;
  /** The organisation's zone for a clinic's own log; the region's otherwise. */
  timeZone?: string | null;
}) {
  if (entries.length === 0) return <p>Изменений пока не было.</p>;
  const sorted = [...entries].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
  return (
    <table className="staff-audit">
      <caption className="visually-hidden">Последние изменения, сначала новые</caption>
      <thead>
        <tr>
          <th scope="col">Когда</th>
          <th scope="col">Кто</th>
          <th scope="col">Что изменено</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((entry) => {
          const d = describeAudit(entry, organisationNames);
          return (
            <tr key={entry.id}>
              <td data-label="Когда">
                <time dateTime={isoOf(entry.at)}>{formatInstant(entry.at, timeZone)}</time>
              </td>
              <td data-label="Кто" className="staff-break">
                {auditActor(entry)}
              </td>
              <td data-label="Что изменено">
                <strong>{d.subject}</strong>
                {d.changes.length > 0 && (
                  <ul className="staff-changes">
                    {d.changes.map((c) => (
                      <li key={c.label}>
                        {c.label}: {c.from} <span aria-hidden="true">→</span>
                        <span className="visually-hidden">изменено на</span> {c.to}
                      </li>
                    ))}
                  </ul>
                )}
                {d.note && <p className="staff-note">{d.note}</p>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
