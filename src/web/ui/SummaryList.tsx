// GOV.UK-style summary list: key, value and an optional «Изменить» link per row.
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export interface SummaryRow {
  key: string;
  value: ReactNode;
  /** Where «Изменить» leads; the link's accessible name includes the key. */
  change?: string;
}

export function SummaryList({ rows }: { rows: SummaryRow[] }) {
  const withActions = rows.some((r) => r.change);
  return (
    <dl className={withActions ? 'summary-rows summary-rows-actions' : 'summary-rows'}>
      {rows.map((r) => (
        <div className="summary-row" key={r.key}>
          <dt>{r.key}</dt>
          <dd>{r.value}</dd>
          {withActions && (
            <dd className="summary-action">
              {r.change && (
                <Link to={r.change}>
                  Изменить<span className="visually-hidden"> {r.key.toLowerCase()}</span>
                </Link>
              )}
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}
