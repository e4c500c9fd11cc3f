// The map beside the queue (and on the contact-centre page): Leaflet is imported on first use so pages
// without a map never load it.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../shared/i18n.js';
import { casePoints, type CaseSummary } from '../api.js';
import type { StaffMap } from '../map/leaflet-map.js';
import { useLoad } from '../ui.js';


/** Hook: creates a lazily loaded map in the returned ref's element. */
export function useStaffMap(opts: { onSelect?: (id: number) => void; onPick?: (lat: number, lon: number) => void; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<StaffMap | null>(null);
  const handlers = useRef(opts);
  handlers.current = opts;
  useEffect(() => {
    let live = true;
    let created: StaffMap | null = null;
    import('../map/leaflet-map.js').then(({ createMap }) => {
      if (!live || !el.current) return;
      created = createMap(el.current, {
        label: opts.label,
        onSelect: opts.onSelect && ((id) => handlers.current.onSelect?.(id)),
        onPick: opts.onPick && ((lat, lon) => handlers.current.onPick?.(lat, lon)),
      });
      setMap(created);
    });
    return () => {
      live = false;
      created?.destroy();
    };
  }, []);
  return { el, map };
}

/** Every filtered case as a point (the server sends up to 2000); clicking one selects it in the list. */
export function CasesMap({ query, cases, selectedId, onSelect }: {
  query: Record<string, string>; cases: CaseSummary[]; selectedId?: number; onSelect: (id: number) => void;
}) {
  const { el, map } = useStaffMap({ onSelect, label: t('map.label') });
  const points = useLoad(() => casePoints(query), [JSON.stringify(query)]);
  useEffect(() => {
    if (!map) return;
    void map.loadBoundaries([...new Set(cases.map((c) => c.municipality_code))]);
  }, [map, cases]);
  const fitted = useRef<unknown>(null);
  useEffect(() => {
    if (!map || !points.data) return;
    map.setPoints(points.data.points.map((p) => ({ id: p.id, lat: p.lat, lon: p.lon, label: p.public_id, tone: `p${p.priority}` })), selectedId, fitted.current !== points.data);
    fitted.current = points.data;
  }, [map, points.data, selectedId]);
  return html`<section class="queue-map" aria-labelledby="map-title">
    <h2 id="map-title" class="sr-only">${t('map.label')}</h2>
    <div ref=${el} class="map" role="region" aria-label=${t('map.label')}></div>
    <p class="small">${t('map.legend')}${points.data?.truncated ? ` ${t('map.truncated')}` : ''}</p>
  </section>`;
}
