// Owns drawing a payment provider's QR code for the customer to scan (the qrcode package renders it).
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

export function QrCode(props: { payload: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(props.payload, { margin: 2, width: 240, errorCorrectionLevel: 'M' }).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [props.payload]);
  if (!src) return null;
  return <img className="qr-code" data-testid="qr-code" src={src} width={240} height={240} alt={t('boxOffice.pay.qrAlt')} />;
}
