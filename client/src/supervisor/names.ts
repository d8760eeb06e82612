import { computed, type Ref } from 'vue';
import { LIMIT_LABELS, type ReferenceData } from '@wall/shared';

/** Display names of units, centers and limits, from the reference data as it loads. */
export function createNames(reference: Ref<ReferenceData>) {
  const maps = computed(() => ({
    unit: new Map(reference.value.units.map((u) => [u.id, u.name])),
    center: new Map(reference.value.centers.map((c) => [c.id, c.name])),
  }));
  return {
    unitName: (id: string) => maps.value.unit.get(id) ?? id,
    centerName: (id: string | null) => (id === null ? '—' : (maps.value.center.get(id) ?? id)),
    limitName: (l: string) => LIMIT_LABELS[l as keyof typeof LIMIT_LABELS] ?? l,
  };
}

export type Names = ReturnType<typeof createNames>;
