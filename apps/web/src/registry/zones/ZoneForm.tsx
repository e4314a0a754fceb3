import {
  createZoneSchema,
  updateZoneSchema,
  ZoneKind,
  type AdminUnitDto,
  type AreaGeometry,
  type Page,
  type PlotDto,
  type ZoneDto,
} from '@huuco/domain';
import type { Polygon } from 'geojson';
import { useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import type { z } from 'zod';
import { ApiError, apiPatch, apiPost } from '../../api';
import { Field, SaveRow, showSaveError, useSchemaForm } from '../../app/forms';
import { useApi, useApiMutation } from '../../app/query';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { OutlineChecks, OutlineEditor } from './OutlineEditor';

// The outline's refusals are said under the map, in words, not beside a field.
const FIELDS = ['code', 'name', 'kind', 'communeIds', 'products', 'targetAreaHa'];
const toList = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : v;
const toNumberOrNull = (v: unknown) => (v === '' || v === null ? null : Number(v));

/** The other zones, drawn beside the one being edited; null until they have loaded. */
function useZonesAround(except?: string): AreaGeometry[] | null {
  const zones = useApi<Page<ZoneDto>>('/zones?pageSize=200');
  if (zones.isPending) return null;
  return (zones.data?.items ?? [])
    .filter((z) => z.id !== except)
    .map((z) => z.geometry as AreaGeometry);
}

/** The communes a district user may name: their own units and the communes below them. */
function useMyCommunes(): AdminUnitDto[] {
  const { user } = useAuth();
  const units = useApi<Page<AdminUnitDto>>('/admin-units?level=commune&pageSize=500&sort=name');
  const mine = new Set(user?.adminUnitIds ?? []);
  return (units.data?.items ?? []).filter(
    (u) => mine.has(u.id) || (u.parentId !== null && mine.has(u.parentId)),
  );
}

type Fields = {
  name?: string;
  kind?: ZoneKind;
  communeIds?: string[];
  products?: string[];
  targetAreaHa?: number | null;
};

/** Name, kind, communes, products and target area: the same on a new zone and an edited one. */
function ZoneFields<I extends Fields>({ form }: { form: UseFormReturn<I, unknown, unknown> }) {
  const { t } = useI18n();
  const communes = useMyCommunes();
  const f = form as unknown as UseFormReturn<Fields, unknown, unknown>;
  const communeError = f.formState.errors.communeIds;
  return (
    <>
      <Field form={f} name="name" label={t('registry.name')}>
        <input {...f.register('name')} />
      </Field>
      <Field form={f} name="kind" label={t('registry.kind')}>
        <select {...f.register('kind')}>
          {ZoneKind.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>{t('zones.communes')}</legend>
        {communes.map((c) => (
          <label key={c.id} className="checkbox">
            <input type="checkbox" value={c.id} {...f.register('communeIds')} />
            {c.name}
          </label>
        ))}
        {communeError && (
          <small className="field-error" role="alert">
            {communeError.message}
          </small>
        )}
      </fieldset>
      <Field form={f} name="products" label={t('zones.products')}>
        <input {...f.register('products', { setValueAs: toList })} />
      </Field>
      <Field form={f} name="targetAreaHa" label={t('zones.targetAreaHa')}>
        <input
          type="number"
          step="any"
          inputMode="decimal"
          {...f.register('targetAreaHa', { setValueAs: toNumberOrNull })}
        />
      </Field>
    </>
  );
}

type CreateInput = z.input<typeof createZoneSchema>;
type CreateOutput = z.output<typeof createZoneSchema>;

/** A new zone: its outline drawn on the map with the server's checks live, and its facts. */
export function ZoneCreatePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const around = useZonesAround();
  const [geometry, setGeometry] = useState<Polygon | null>(null);
  const form = useSchemaForm<CreateInput, CreateOutput>(createZoneSchema, {
    kind: 'organic',
    communeIds: [],
    products: [],
    targetAreaHa: null,
  });
  const [message, setMessage] = useState<string | null>(null);
  const create = useApiMutation((dto: CreateOutput) => apiPost<ZoneDto>('/zones', dto));
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      const saved = await create.mutateAsync(dto);
      navigate(`/zones/${saved.id}`);
    } catch (error) {
      setMessage(showSaveError(t, form, error, FIELDS));
    }
  });
  return (
    <div className="record">
      <Link to="/registry">{t('common.back')}</Link>
      <h1>{t('zones.newTitle')}</h1>
      <form className="record-form wide" onSubmit={(e) => void submit(e)} noValidate>
        <Field form={form} name="code" label={t('registry.code')} hint="AT-HC-02">
          <input {...form.register('code')} />
        </Field>
        <ZoneFields form={form} />
        <h3>{t('zones.outline')}</h3>
        {around ? (
          <OutlineEditor
            geometry={null}
            around={around}
            onChange={(next) => {
              setGeometry(next);
              if (next) form.setValue('geometry', next, { shouldValidate: true });
            }}
          />
        ) : null}
        <OutlineChecks geometry={geometry} plots={[]} />
        {form.formState.errors.geometry && !geometry && (
          <small className="field-error" role="alert">
            {t('zones.drawHint')}
          </small>
        )}
        <SaveRow message={message} busy={form.formState.isSubmitting} />
      </form>
    </div>
  );
}

type EditInput = z.input<typeof updateZoneSchema>;
type EditOutput = z.output<typeof updateZoneSchema>;

/** A zone's facts and outline edited together; the outline only goes to the server if it moved. */
export function ZoneEdit({ zone, onDone }: { zone: ZoneDto; onDone: () => void }) {
  const { t } = useI18n();
  const around = useZonesAround(zone.id);
  const plots = useApi<Page<PlotDto>>(`/plots?zoneId=${zone.id}&pageSize=500`);
  const editable = (zone.geometry as AreaGeometry).type === 'Polygon';
  const [geometry, setGeometry] = useState<Polygon | null>(
    editable ? (zone.geometry as Polygon) : null,
  );
  const [moved, setMoved] = useState(false);
  const form = useSchemaForm<EditInput, EditOutput>(updateZoneSchema, {
    name: zone.name,
    kind: zone.kind,
    communeIds: zone.communes.map((c) => c.id),
    products: zone.products,
    targetAreaHa: zone.targetArea?.ha ?? null,
  });
  const [message, setMessage] = useState<string | null>(null);
  const save = useApiMutation((dto: EditOutput) => apiPatch<ZoneDto>(`/zones/${zone.id}`, dto));
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      await save.mutateAsync({
        ...dto,
        ...(moved && geometry ? { geometry } : {}),
      });
      onDone();
    } catch (error) {
      setMessage(
        error instanceof ApiError && error.body.code === 'PLOT_OUTSIDE_ZONE'
          ? t('zones.plotsOutside', { count: error.body.errors?.length ?? 1 })
          : showSaveError(t, form, error, FIELDS),
      );
    }
  });
  return (
    <form
      className="record-form wide"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={t('zones.editOutline')}
    >
      <h2>{t('zones.editOutline')}</h2>
      <ZoneFields form={form} />
      {editable && around && (
        <>
          <h3>{t('zones.outline')}</h3>
          <OutlineEditor
            geometry={geometry}
            around={around}
            onChange={(next) => {
              setGeometry(next);
              setMoved(true);
            }}
          />
          <OutlineChecks
            geometry={geometry}
            plots={(plots.data?.items ?? []).map((p) => p.geometry as AreaGeometry)}
          />
        </>
      )}
      <SaveRow message={message} busy={form.formState.isSubmitting} onCancel={onDone} />
    </form>
  );
}
