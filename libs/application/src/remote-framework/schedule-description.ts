import cronstrue from 'cronstrue';

/**
 * How list_timers shows a timer (spec §1.2): a description plus the expression, or `Not
 * Configured`. Cron expressions are read by cronstrue as EventBridge writes them — six fields,
 * the year last and day-of-week 1 = Sunday — with a seconds field of 0 put in front (cronstrue's
 * seven-field form). An expression it cannot read is shown as written.
 */
export function describeSchedule(expression: string | undefined): string {
  if (!expression) return 'Not Configured';
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== 6) return expression;
    try {
      const text = cronstrue.toString(`0 ${fields.join(' ')}`, { use24HourTimeFormat: true, dayOfWeekStartIndexZero: false, throwExceptionOnParseError: true });
      return `${text} (UTC; Cron Expression: ${expression})`;
    } catch {
      return expression;
    }
  }
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) return `Every ${rate[1]!.trim()} (Rate Expression: ${expression})`;
  return expression;
}
