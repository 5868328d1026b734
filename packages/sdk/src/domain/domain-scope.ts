/** Domain tables that stand for a scope in DevLake's `project_mapping`. */
export type DomainScopeTable = 'repos' | 'boards' | 'cicd_scopes';
