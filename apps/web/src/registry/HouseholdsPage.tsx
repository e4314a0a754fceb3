import type { HouseholdDto } from '@huuco/domain';
import { formatDate, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { PagedTable } from '../PagedTable';
import { ExportButtons } from '../district/ExportButtons';

/** Households within the viewer's scope; ID numbers masked, phones as the role allows. */
export function HouseholdsPage() {
  const { t, locale } = useI18n();
  return (
    <div className="registry">
      <ExportButtons name="households" />
      <PagedTable<HouseholdDto>
        title={t('nav.households')}
        path="/households?sort=headName"
        columns={[
          { header: t('households.code'), cell: (h) => h.code },
          { header: t('households.head'), cell: (h) => h.headName },
          { header: t('households.idNumber'), cell: (h) => h.idNumberMasked, optional: true },
          {
            header: t('households.phone'),
            cell: (h) => h.phone ?? h.phoneMasked ?? '—',
            optional: true,
          },
          { header: t('households.village'), cell: (h) => h.village ?? '—', optional: true },
          { header: t('households.joined'), cell: (h) => formatDate(h.joinedOn), optional: true },
          {
            header: t('households.plots'),
            cell: (h) => formatNumber(h.plotCount, locale, 0),
            numeric: true,
          },
        ]}
      />
    </div>
  );
}
