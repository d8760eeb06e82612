// The admin console's sections, in menu order, and who may open each. A section a role may not
// open shows a 403 page and asks the server for nothing.

export interface AdminSection {
  id: string;
  title: string;
  roles: readonly string[];
}

export const SECTIONS: readonly AdminSection[] = [
  { id: 'users', title: '用户', roles: ['admin'] },
  { id: 'screens', title: '大屏', roles: ['admin'] },
  { id: 'roster', title: '值班表', roles: ['admin', 'supervisor'] },
  { id: 'audit', title: '审计', roles: ['admin'] },
  { id: 'reference', title: '基础数据', roles: ['admin'] },
  { id: 'rules', title: '规则', roles: ['admin'] },
  { id: 'system', title: '系统', roles: ['admin'] },
];

export function sectionOf(id: string | undefined): AdminSection | undefined {
  return SECTIONS.find((s) => s.id === id);
}

export function mayOpen(section: AdminSection, role: string | null): boolean {
  return role !== null && section.roles.includes(role);
}
