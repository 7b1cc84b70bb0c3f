/** Shapes of docs/api.md and docs/journey-format.md. */

export type JourneyStatus = "draft" | "published" | "paused" | "archived";

export interface GraphNode {
  id: string;
  type: string;
  position: { x: number; y: number };
  data: { label?: string; settings: Record<string, unknown> };
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export interface JourneyGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  settings: Record<string, unknown>;
}

export interface JourneySummary {
  id: number;
  name: string;
  description: string | null;
  status: JourneyStatus;
  revision: number;
  updated_at: string;
  live_version: number | null;
  entered: number;
  active: number;
}

export interface JourneyVersion {
  number: number;
  status: string;
  published_at: string | null;
}

export interface Journey extends JourneySummary {
  graph: JourneyGraph;
  has_unpublished_changes: boolean;
  versions: JourneyVersion[];
}

export interface LocatedError {
  node_id: string | null;
  edge_id: string | null;
  code: string;
  message: string;
  field: string | null;
  /** "warning": shown on the node in amber, does not block publishing. Absent means "error". */
  severity?: "error" | "warning";
}

export interface NodeCounts {
  entered: number;
  waiting: number;
  moved_on: number;
  exited: number;
  /** The exits that were conversions (the goal reached while at this step). */
  converted?: number;
  /** Parked `errored` at this node because a step failed for them. */
  errored?: number;
}

export type CountsByNode = Record<string, NodeCounts>;

export interface CountsPayload {
  journey_id: number;
  nodes: CountsByNode;
}

export interface OutboxMail {
  id: string | number;
  from: string;
  to: string | string[];
  subject: string;
  date: string;
  html: string | null;
  text: string | null;
}

export interface Message {
  id: number;
  journey_id: number | null;
  /** Null once the journey is deleted. */
  journey_name: string | null;
  node_id: string | null;
  /** The step's label in the journey's current graph; null when it has none. */
  step_name: string | null;
  customer_id: string;
  channel: string;
  to: string;
  subject: string | null;
  status: "pending" | "sending" | "sent" | "failed" | "unknown" | "skipped" | string;
  attempts: number;
  error: string | null;
  /** The provider's own id of the message (an email's Message-ID, an SMS gateway's msgid); null before sending. */
  provider_id: string | null;
  created_at: string;
  sent_at: string | null;
  /** The message log's shape (api/messages.py). */
  journey: { id: number; name: string | null } | null;
  step: { id: string; type: string | null; label: string | null; name: string };
  customer: { external_id: string; name: string | null };
  /** The address, phone, LINE user id or URL; for push channels "N devices". */
  recipient: string;
  /** The kind of the newest event (sent, delivered, opened …); null before the first. */
  last_event: string | null;
}

export interface MessageEvent {
  kind: string;
  at: string;
  detail: Record<string, unknown> | null;
}

/** One message with its rendered content (null until rendered, or hidden from a viewer) and its timeline. */
export interface MessageDetail extends Message {
  payload: Record<string, unknown> | null;
  events: MessageEvent[];
  /** The workspace's provider account that sent it; null for the server's own settings (SMTP, sandbox). */
  sent_via: { id: number; name: string; provider: string } | null;
}

export interface MessagePage {
  messages: Message[];
  next_cursor: number | null;
}

export interface FlowCounts {
  journey_id: number;
  /** Transitions out of each node by output handle. */
  handles: Record<string, Record<string, number>>;
  messages: Record<string, { sent: number; failed: number; pending: number; unknown?: number }>;
}

export interface NodeCustomer {
  customer_id: string;
  email: string | null;
  name: string | null;
  status: string;
  arrived_at: string;
  moves_on_at: string | null;
}

export interface NodeCustomersPage {
  total: number;
  page: number;
  per_page: number;
  customers: NodeCustomer[];
}

export interface EventName {
  name: string;
  count: number;
  last_seen: string;
}

/** A tag of the workspace and how many customers carry it now (GET /api/tags). */
export interface TagName {
  name: string;
  customers: number;
  created_at: string;
}

export interface EmailContent {
  subject: string;
  body: string;
  from_name: string;
}

export interface EmailPreview {
  subject: string | null;
  body: string | null;
  from_name: string;
  errors: { subject?: string; body?: string };
  sample: boolean;
  customer: { customer_id: string | null; email: string | null; name: string | null };
}

export type Role = "owner" | "admin" | "marketer" | "analyst" | "viewer";

export interface WorkspaceRef {
  id: number;
  slug: string;
  name: string;
}

/** GET /api/session: who is signed in, where, with which role, and the CSRF token. */
export interface SessionInfo {
  user: { id: number; email: string; display_name: string; language: string };
  workspace: WorkspaceRef | null;
  role: Role | null;
  /** What the role may do in this workspace (docs/permissions.md); the UI disables the rest. */
  actions: string[];
  memberships: { workspace: WorkspaceRef; role: Role }[];
  csrf_token: string;
  idle_timeout_seconds: number;
}

/** An API key as GET /api/keys lists it (never its secret). */
export type KeyScope = "track" | "read" | "write";
export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  scopes: KeyScope[];
  created_by: { id: number; display_name: string; email: string } | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
/** POST /api/keys answers the whole key once. */
export interface NewApiKey extends ApiKey {
  key: string;
}

/** GET /api/channel-providers: a provider an account can be made for, with its form's fields. */
export interface ChannelProvider {
  channel: string;
  provider: string;
  credentials: string[];
  settings: string[];
}
/** GET /api/channel-accounts: a provider account (never its credential values: only which are set). */
export interface ChannelAccount {
  id: number;
  channel: string;
  provider: string;
  name: string;
  settings: Record<string, string>;
  credential_fields: string[];
  is_default: boolean;
  created_at: string;
  updated_at: string;
}
/** What POST / PATCH /api/channel-accounts take (credentials absent on an edit: kept). */
export interface ChannelAccountInput {
  channel?: string;
  provider?: string;
  name?: string;
  settings?: Record<string, string>;
  credentials?: Record<string, string>;
  is_default?: boolean;
}

/** GET /api/members: one member of the workspace. */
export interface Member {
  user_id: number;
  email: string;
  display_name: string;
  role: Role;
  joined_at: string;
  last_login_at: string | null;
}

/** A pending invitation (not accepted, revoked or expired). */
export interface PendingInvitation {
  id: number;
  email: string;
  role: Role;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
}

/** GET /api/invitations/accept?token=…: what an invitation link offers. */
export interface InvitationPreview {
  email: string;
  role: Role;
  workspace: string;
  invited_by: string | null;
  account_exists: boolean;
  signed_in_as: string | null;
  expires_at: string;
}

export interface AuditEntry {
  id: number;
  created_at: string;
  actor_user_id: number | null;
  actor: string;
  ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: Record<string, unknown>;
}

export interface AuditFilters {
  member?: number | null;
  action?: string | null;
  since?: string | null;
  until?: string | null;
}

/** A ready-made journey of the gallery (GET /api/journey-templates). */
export interface JourneyTemplate {
  key: string;
  name: string;
  description: string;
  channels: string[];
  steps: number;
}
