import type { CooperativeDto, ZoneDto } from '@huuco/domain';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';
import { PagedTable } from '../PagedTable';
import { ExportButtons } from '../district/ExportButtons';

export function RegistryPage() {
  const { t, locale } = useI18n();
  return (
    <div className="registry">
      <ExportButtons name="zones" />
      <PagedTable<ZoneDto>
        title={t('registry.zones')}
        path="/zones?sort=name"
        columns={[
          { header: t('registry.code'), cell: (z) => z.code, optional: true },
          { header: t('registry.name'), cell: (z) => z.name },
          { header: t('registry.kind'), cell: (z) => t(`kind.${z.kind}`), optional: true },
          { header: t('registry.status'), cell: (z) => t(`zoneStatus.${z.status}`) },
          {
            header: t('registry.area'),
            cell: (z) => formatNumber(z.area.ha, locale, 2),
            numeric: true,
          },
          {
            header: t('registry.target'),
            cell: (z) => (z.targetArea ? formatNumber(z.targetArea.ha, locale, 2) : '—'),
            numeric: true,
            optional: true,
          },
        ]}
      />
      <ExportButtons name="cooperatives" />
      <PagedTable<CooperativeDto>
        title={t('registry.cooperatives')}
        path="/cooperatives?sort=name"
        columns={[
          { header: t('registry.name'), cell: (c) => c.name },
          { header: t('registry.registration'), cell: (c) => c.registrationNumber, optional: true },
          { header: t('registry.commune'), cell: (c) => c.commune.name, optional: true },
          { header: t('registry.status'), cell: (c) => t(`registry.${c.status}`) },
          {
            header: t('registry.households'),
            cell: (c) => formatNumber(c.householdCount, locale, 0),
            numeric: true,
          },
        ]}
      />
    </div>
  );
}
