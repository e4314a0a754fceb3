import { apiBlobUrl } from '../api';
import { useI18n } from '../i18n';

/** Downloads a list as CSV or XLSX, with Vietnamese headers, for reports. */
export function ExportButtons({ name, query = '' }: { name: string; query?: string }) {
  const { t } = useI18n();
  const download = async (format: 'csv' | 'xlsx') => {
    const a = document.createElement('a');
    a.href = await apiBlobUrl(`/exports/${name}.${format}${query}`);
    a.download = `huuco-${name}.${format}`;
    a.click();
  };
  return (
    <span className="export-buttons">
      <button type="button" onClick={() => void download('xlsx')}>
        {t('export.xlsx')}
      </button>
      <button type="button" onClick={() => void download('csv')}>
        {t('export.csv')}
      </button>
    </span>
  );
}
