import { apiDownload } from '../api';
import { useI18n } from '../i18n';

/** Downloads a list as CSV or XLSX, with Vietnamese headers, for reports. */
export function ExportButtons({ name, query = '' }: { name: string; query?: string }) {
  const { t } = useI18n();
  const download = async (format: 'csv' | 'xlsx') => {
    await apiDownload(`/exports/${name}.${format}${query}`, `huuco-${name}.${format}`);
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
