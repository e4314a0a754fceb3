import { can, type CooperativeDto, type ZoneDto } from '@huuco/domain';
import { Link } from 'react-router';
import { useAuth } from '../auth';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';
import { PagedTable } from '../PagedTable';

export function RegistryPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  return (
    <div className="registry">
      <PagedTable<ZoneDto>
        name="zones"
        title={t('registry.zones')}
        path="/zones"
        search
        sorts={[
          { value: 'name', label: t('registry.name') },
          { value: 'code', label: t('registry.code') },
          { value: 'area', label: t('registry.area') },
        ]}
        rowLink={(z) => `/zones/${z.id}`}
        actions={
          user &&
          can(user.role, 'zones.write') && (
            <Link className="button primary" to="/zones/new">
              {t('zones.new')}
            </Link>
          )
        }
        exportName="zones"
        columns={[
          { header: t('registry.name'), cell: (z) => z.name },
          { header: t('registry.code'), cell: (z) => z.code, optional: true },
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
      <PagedTable<CooperativeDto>
        name="cooperatives"
        title={t('registry.cooperatives')}
        path="/cooperatives"
        search
        sorts={[
          { value: 'name', label: t('registry.name') },
          { value: 'registrationNumber', label: t('registry.registration') },
        ]}
        exportName="cooperatives"
        rowLink={(c) => `/cooperatives/${c.id}`}
        actions={
          user &&
          can(user.role, 'cooperatives.write') && (
            <Link className="button primary" to="/cooperatives/new">
              {t('registry.newCooperative')}
            </Link>
          )
        }
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
