import { zodResolver } from '@hookform/resolvers/zod';
import { cloneElement, useId, type ReactElement } from 'react';
import {
  get,
  useForm,
  type DefaultValues,
  type FieldError,
  type FieldValues,
  type Path,
  type UseFormReturn,
} from 'react-hook-form';
import { z } from 'zod';
import { ApiError } from '../api';
import { errorInWords, lookup, useI18n, type Language, type Translate } from '../i18n';

/** An input left empty is null to the schema (an optional phone, an address). */
export const emptyToNull = (v: unknown) => (v === '' ? null : v);

const ZOD_WORDS: Record<Language, z.core.$ZodErrorMap> = {
  vi: z.locales.vi().localeError,
  en: z.locales.en().localeError,
};

/**
 * A field's own words for an issue (`form.reason.too_small`: "at least {minimum} characters"),
 * filled with the limit of the schema at hand, so the same field in two forms with different
 * limits says each form's own; else zod's generic words in the language.
 */
function wordsIn(language: Language): z.core.$ZodErrorMap {
  return (issue) => {
    const field = issue.path?.[0];
    const limits = issue as { minimum?: unknown; maximum?: unknown };
    const specific =
      field === undefined
        ? null
        : lookup(`form.${String(field)}.${issue.code}`, {
            minimum: String(limits.minimum ?? ''),
            maximum: String(limits.maximum ?? ''),
          });
    const words = specific ?? ZOD_WORDS[language](issue);
    if (typeof words === 'string') WORDED.add(words);
    return words;
  };
}

/** Messages `wordsIn` wrote: already in words; a schema's own (English) message is not. */
const WORDED = new Set<string>();

/**
 * A form checked by the same zod schema the server checks it with (`libs/domain`), its
 * generic messages in the user's language. Field-specific words (`form.<field>.<issue>`) come
 * first where the schema's own message would be English.
 */
export function useSchemaForm<Input extends FieldValues, Output>(
  schema: z.ZodType<Output, Input>,
  defaultValues: DefaultValues<Input>,
): UseFormReturn<Input, unknown, Output> {
  const { language } = useI18n();
  return useForm<Input, unknown, Output>({
    resolver: zodResolver(schema as never, { error: wordsIn(language) }) as never,
    defaultValues,
    mode: 'onTouched',
  });
}

/**
 * A field's error in words: as `wordsIn` wrote it; else the field's own words for the issue
 * (a schema's English message, a code the API answered), else the code's words.
 */
export function fieldErrorInWords(t: Translate, name: string, error: FieldError): string {
  if (error.message && WORDED.has(error.message)) return error.message;
  const specific = lookup(`form.${name}.${error.type}`);
  if (specific) return specific;
  if (typeof error.type === 'string' && /^[A-Z_]+$/.test(error.type))
    return errorInWords({ code: error.type, message: error.message ?? '' });
  return error.message ?? t('form.invalid');
}

/**
 * A labelled control with its hint or error beside it: the label names the control by id (its
 * name stays the label's words, whatever is typed or chosen) and the error is tied to it with
 * `aria-describedby`.
 */
export function Field<Input extends FieldValues>({
  form,
  name,
  label,
  children,
  hint,
}: {
  form: UseFormReturn<Input, unknown, unknown>;
  name: Path<Input>;
  label: string;
  /** The control, registered by the caller (`form.register(name)`). */
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
  hint?: string;
}) {
  const { t } = useI18n();
  const controlId = useId();
  const noteId = `${controlId}-note`;
  const error = get(form.formState.errors, name) as FieldError | undefined;
  const note = error ? fieldErrorInWords(t, name, error) : hint;
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={controlId}>{label}</label>
      {cloneElement(children, {
        id: controlId,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': note ? noteId : undefined,
      })}
      {note && (
        <small
          id={noteId}
          className={error ? 'field-error' : 'hint'}
          role={error ? 'alert' : undefined}
        >
          {note}
        </small>
      )}
    </div>
  );
}

/**
 * A refused save shown where it belongs: each field the API named beside that field, the rest
 * (and a lost connection) as the form's own message. Returns that message, or null.
 */
export function showSaveError<Input extends FieldValues>(
  t: Translate,
  form: UseFormReturn<Input, unknown, unknown>,
  error: unknown,
  fields: readonly string[],
): string {
  if (!(error instanceof ApiError)) return t('login.offline');
  let placed = false;
  for (const fieldError of error.body.errors ?? []) {
    // A field in a list (`nonCompliances.0.plotId`) is marked itself, beside its own control.
    if (fields.includes(fieldError.path.split('.')[0]!)) {
      form.setError(fieldError.path as Path<Input>, {
        type: fieldError.code,
        message: fieldError.message,
      });
      placed = true;
    }
  }
  return placed ? t('form.fixFields') : errorInWords(error.body);
}

/** A form's message and its save button. */
export function SaveRow({
  message,
  busy,
  onCancel,
  label,
}: {
  message: string | null;
  busy: boolean;
  onCancel?: () => void;
  /** The save button's words where "Save" says too little. */
  label?: string;
}) {
  const { t } = useI18n();
  return (
    <>
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('common.saving') : (label ?? t('common.save'))}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </>
  );
}
