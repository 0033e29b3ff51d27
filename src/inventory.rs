//! The normalised inventory: the one model between the parsers (`ingest`) and
//! the checks. Every parser maps its format's native attributes onto the
//! canonical kinds and property names documented in `docs/inventory.md`, so a
//! check about "object storage is not public" is written once for S3, Azure
//! Storage and GCS.
//!
//! **Invariant:** a property the source does not know (Terraform
//! `after_unknown`, an unresolved ARM or CloudFormation expression) is
//! [`Prop::Unknown`], never a default: checks turn it into `Indeterminate`.
//! **Invariant:** every resource and every property keeps a pointer back to
//! the place in the input it came from.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Where a resource or value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Name of the input (file name as given by the user); one shared copy
    /// per input.
    pub file: Text,
    /// RFC 6901 JSON pointer into the (decoded) document, e.g.
    /// `/resource_changes/3/change/after`. For YAML it points into the
    /// document's JSON equivalent, prefixed with the document index (`/2/spec`).
    pub pointer: Pointer,
    /// 1-based line, where the format gives one (CSV, YAML, NDJSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// Cloud or platform a resource belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Amazon Web Services.
    Aws,
    /// Microsoft Azure.
    Azure,
    /// Google Cloud.
    Gcp,
    /// Kubernetes (any distribution).
    Kubernetes,
    /// Anything else an imported scanner reports on (a container image, a
    /// source file); configuration exports never give it.
    Other,
}

impl Provider {
    /// Stable token.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Azure => "azure",
            Provider::Gcp => "gcp",
            Provider::Kubernetes => "kubernetes",
            Provider::Other => "other",
        }
    }
}

/// A property value as the source states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Prop {
    /// The source gives this value.
    Known {
        /// The value (normalised: booleans are booleans, numbers numbers);
        /// shared with the evidence of every finding that reads it.
        value: Arc<Value>,
        /// Pointer to the native attribute it was read from.
        #[serde(default, skip_serializing_if = "Pointer::is_empty")]
        pointer: Pointer,
    },
    /// The source says the value exists but cannot be known yet.
    Unknown {
        /// Why (e.g. "known after apply", "unresolved expression [parameters('x')]");
        /// one shared copy of each sentence.
        reason: Arc<str>,
        /// Pointer to the native attribute.
        #[serde(default, skip_serializing_if = "Pointer::is_empty")]
        pointer: Pointer,
    },
}

impl Prop {
    /// A known value with its origin.
    pub fn known(value: impl Into<Value>, pointer: impl Into<Pointer>) -> Prop {
        Prop::Known { value: shared_value(value.into()), pointer: pointer.into() }
    }
    /// An unknown value with its reason and origin.
    pub fn unknown(reason: impl AsRef<str>, pointer: impl Into<Pointer>) -> Prop {
        Prop::Unknown { reason: intern(reason.as_ref()), pointer: pointer.into() }
    }
    /// Is it known to be `true`?
    pub fn is_true(&self) -> bool {
        matches!(self.value(), Some(Value::Bool(true)))
    }
    /// The value, if known.
    pub fn value(&self) -> Option<&Value> {
        match self {
            Prop::Known { value, .. } => Some(value),
            Prop::Unknown { .. } => None,
        }
    }
    /// Pointer to the native attribute.
    pub fn pointer(&self) -> &Pointer {
        match self {
            Prop::Known { pointer, .. } | Prop::Unknown { pointer, .. } => pointer,
        }
    }
    fn pointer_mut(&mut self) -> &mut Pointer {
        match self {
            Prop::Known { pointer, .. } | Prop::Unknown { pointer, .. } => pointer,
        }
    }
}

/// An immutable, shared string type: cloning is a reference-count increment.
/// Compares, prints, derefs and serialises as the plain string.
macro_rules! shared_str {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl $name {
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The shared text (no copy).
            pub fn shared(&self) -> Arc<str> {
                Arc::clone(&self.0)
            }
            /// Is it empty?
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                fmt::Debug::fmt(&*self.0, f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<Arc<str>> for $name {
            fn from(s: Arc<str>) -> Self {
                $name(s)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(Arc::from(s))
            }
        }

        impl From<&String> for $name {
            fn from(s: &String) -> Self {
                $name(Arc::from(s.as_str()))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(Arc::from(s))
            }
        }

        impl From<$name> for String {
            fn from(p: $name) -> Self {
                p.0.to_string()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, o: &str) -> bool {
                &*self.0 == o
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, o: &&str) -> bool {
                &*self.0 == *o
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, o: &String) -> bool {
                *self.0 == **o
            }
        }
    };
}

/// An RFC 6901 JSON pointer, shared: cloning it (into every finding's
/// evidence) is a reference-count increment, not a copy.
///
/// A property's pointer is stored as its resource's pointer (shared by every
/// property of the resource) plus the rest of the path, which is shared by
/// every resource with the same layout (`/change/after/versioning/0/enabled`):
/// see [`Pointer::within`]. Compares, hashes, orders, prints and serialises as
/// the whole text.
#[derive(Clone, Default)]
pub struct Pointer {
    base: Arc<str>,
    rest: Option<Arc<str>>,
}

impl Pointer {
    /// `full`, stored relative to `base` when it lies under it (`base` itself,
    /// or `base` followed by `/…`); the rest of the path is interned, so the
    /// thousands of resources of one export share one copy of each.
    pub fn within(base: &Pointer, full: &str) -> Pointer {
        if base.rest.is_none() && !base.base.is_empty() {
            if let Some(rest) = full.strip_prefix(&*base.base) {
                if rest.is_empty() || rest.starts_with('/') {
                    return Pointer::under(base, rest);
                }
            }
        }
        Pointer::from(full)
    }
    /// `base` followed by `rest` (`""` or `/…`), stored as in [`Pointer::within`].
    pub fn under(base: &Pointer, rest: &str) -> Pointer {
        match (&base.rest, rest) {
            (_, "") => base.clone(),
            (None, _) if !base.base.is_empty() && rest.starts_with('/') => {
                Pointer { base: Arc::clone(&base.base), rest: Some(intern(rest)) }
            }
            _ => Pointer::from([&*base.text(), rest].concat()),
        }
    }
    /// The rest of this pointer after `base` (`""` or `/…`), if it lies under
    /// a non-empty `base`.
    pub fn rest_under(&self, base: &Pointer) -> Option<Cow<'_, str>> {
        if base.is_empty() {
            return None;
        }
        if base.rest.is_none() && Arc::ptr_eq(&self.base, &base.base) {
            return Some(Cow::Borrowed(self.rest.as_deref().unwrap_or("")));
        }
        let (full, base) = (self.text(), base.text());
        let rest = full.strip_prefix(&*base)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| Cow::Owned(rest.to_string()))
    }
    /// This pointer stored relative to `base` (see [`Pointer::within`]); no
    /// change if it is already relative or elsewhere.
    pub fn relative_to(self, base: &Pointer) -> Pointer {
        if self.rest.is_some() || base.rest.is_some() || Arc::ptr_eq(&self.base, &base.base) {
            return self;
        }
        if self.base.len() > base.base.len() && self.base.starts_with(&*base.base) {
            return Pointer::within(base, &self.base);
        }
        self
    }
    /// The two stored parts, which joined are the whole text (the second is
    /// empty for a whole pointer).
    pub fn parts(&self) -> (&str, &str) {
        (&self.base, self.rest.as_deref().unwrap_or(""))
    }
    /// Length in bytes of the whole text.
    pub fn len(&self) -> usize {
        let (a, b) = self.parts();
        a.len() + b.len()
    }
    /// Is it empty?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The whole text as one string slice, when it is stored in one piece.
    pub fn as_whole(&self) -> Option<&str> {
        match self.rest {
            None => Some(&self.base),
            Some(_) => None,
        }
    }
    /// The whole text (borrowed when stored in one piece).
    pub fn text(&self) -> Cow<'_, str> {
        match &self.rest {
            None => Cow::Borrowed(&self.base),
            Some(rest) => Cow::Owned([&*self.base, &**rest].concat()),
        }
    }
    /// Is the whole text equal to `s`?
    pub fn eq_str(&self, s: &str) -> bool {
        let (a, b) = self.parts();
        s.len() == a.len() + b.len() && s.starts_with(a) && s.get(a.len()..) == Some(b)
    }
    /// Does the whole text start with `prefix`?
    pub fn starts_with(&self, prefix: &str) -> bool {
        let (a, b) = self.parts();
        if prefix.len() <= a.len() {
            a.starts_with(prefix)
        } else {
            prefix.starts_with(a) && prefix.get(a.len()..).is_some_and(|p| b.starts_with(p))
        }
    }
    /// Does the whole text end with `suffix`?
    pub fn ends_with(&self, suffix: &str) -> bool {
        let (a, b) = self.parts();
        if suffix.len() <= b.len() {
            b.ends_with(suffix)
        } else {
            suffix.ends_with(b) && suffix.get(..suffix.len() - b.len()).is_some_and(|s| a.ends_with(s))
        }
    }
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let (a, b) = self.parts();
        a.bytes().chain(b.bytes())
    }
}

/// Copies of the shared rests of pointers, for one thread (see
/// [`Pointer::with_rest_from`]).
#[derive(Default)]
pub struct PointerCopies(std::collections::HashMap<usize, Arc<str>, foldhash::fast::RandomState>);

impl Pointer {
    /// This pointer with its rest replaced by `copies`' own copy: threads
    /// that clone the same pointers many times (evaluation, into every
    /// finding's evidence) then do not contend for one reference count.
    /// `copies` must not outlive the pointers it was filled from (it is keyed
    /// by their rest's address).
    pub fn with_rest_from(&self, copies: &mut PointerCopies) -> Pointer {
        match &self.rest {
            None => self.clone(),
            Some(rest) => {
                let local = copies.0.entry(Arc::as_ptr(rest) as *const u8 as usize).or_insert_with(|| Arc::from(&**rest));
                Pointer { base: Arc::clone(&self.base), rest: Some(Arc::clone(local)) }
            }
        }
    }
}

/// `v` in an `Arc`: `true`, `false` and `null` are one shared copy each (most
/// properties are booleans), and so are the few words many resources share
/// (key kinds, S3 encryption algorithms).
pub fn shared_value(v: Value) -> Arc<Value> {
    const WORDS: [&str; 5] = ["provider", "customer", "AES256", "aws:kms", "aws:kms:dsse"];
    static COMMON: std::sync::OnceLock<[Arc<Value>; 3]> = std::sync::OnceLock::new();
    static SHARED_WORDS: std::sync::OnceLock<[Arc<Value>; 5]> = std::sync::OnceLock::new();
    let [t, f, n] = COMMON.get_or_init(|| [Arc::new(Value::Bool(true)), Arc::new(Value::Bool(false)), Arc::new(Value::Null)]);
    match v {
        Value::Bool(true) => Arc::clone(t),
        Value::Bool(false) => Arc::clone(f),
        Value::Null => Arc::clone(n),
        Value::String(s) if s.len() <= 12 && WORDS.contains(&s.as_str()) => {
            let words = SHARED_WORDS.get_or_init(|| WORDS.map(|w| Arc::new(Value::String(w.to_string()))));
            match WORDS.iter().position(|w| *w == s) {
                Some(i) => words.get(i).map(Arc::clone).unwrap_or_else(|| Arc::new(Value::String(s))),
                None => Arc::new(Value::String(s)),
            }
        }
        v => Arc::new(v),
    }
}

/// The shared copies of the relative parts of property pointers and of the
/// reasons of unknown values. Bounded: past the bound a new text is simply
/// not shared.
fn intern(s: &str) -> Arc<str> {
    use std::cell::RefCell;
    use std::collections::HashSet;
    const BOUND: usize = 16_384;
    type Set = HashSet<Arc<str>, foldhash::fast::RandomState>;
    thread_local! {
        static RESTS: RefCell<Set> = RefCell::new(Set::default());
    }
    RESTS
        .try_with(|set| {
            let Ok(mut set) = set.try_borrow_mut() else {
                return Arc::from(s);
            };
            if let Some(a) = set.get(s) {
                return Arc::clone(a);
            }
            let a: Arc<str> = Arc::from(s);
            if set.len() < BOUND {
                set.insert(Arc::clone(&a));
            }
            a
        })
        .unwrap_or_else(|_| Arc::from(s))
}

impl PartialEq for Pointer {
    fn eq(&self, o: &Pointer) -> bool {
        (Arc::ptr_eq(&self.base, &o.base) && self.rest == o.rest) || (self.len() == o.len() && self.bytes().eq(o.bytes()))
    }
}

impl Eq for Pointer {}

impl std::hash::Hash for Pointer {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // As `str` hashes: the bytes, then a terminator.
        for b in self.bytes() {
            h.write_u8(b);
        }
        h.write_u8(0xff);
    }
}

impl PartialOrd for Pointer {
    fn partial_cmp(&self, o: &Pointer) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Pointer {
    fn cmp(&self, o: &Pointer) -> std::cmp::Ordering {
        self.bytes().cmp(o.bytes())
    }
}

impl PartialEq<str> for Pointer {
    fn eq(&self, o: &str) -> bool {
        self.eq_str(o)
    }
}

impl PartialEq<&str> for Pointer {
    fn eq(&self, o: &&str) -> bool {
        self.eq_str(o)
    }
}

impl PartialEq<String> for Pointer {
    fn eq(&self, o: &String) -> bool {
        self.eq_str(o)
    }
}

impl fmt::Debug for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Debug::fmt(&*self.text(), f)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let (a, b) = self.parts();
        f.write_str(a)?;
        f.write_str(b)
    }
}

impl From<Arc<str>> for Pointer {
    fn from(s: Arc<str>) -> Self {
        Pointer { base: s, rest: None }
    }
}

impl From<String> for Pointer {
    fn from(s: String) -> Self {
        Pointer { base: Arc::from(s), rest: None }
    }
}

impl From<&String> for Pointer {
    fn from(s: &String) -> Self {
        Pointer { base: Arc::from(s.as_str()), rest: None }
    }
}

impl From<&str> for Pointer {
    fn from(s: &str) -> Self {
        Pointer { base: Arc::from(s), rest: None }
    }
}

impl From<&Pointer> for Pointer {
    fn from(p: &Pointer) -> Self {
        p.clone()
    }
}

impl From<Pointer> for String {
    fn from(p: Pointer) -> Self {
        p.to_string()
    }
}

impl Serialize for Pointer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_whole() {
            Some(t) => s.serialize_str(t),
            None => s.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Pointer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Cow::<'de, str>::deserialize(d).map(|s| Pointer::from(&*s))
    }
}

shared_str! {
    /// A shared piece of text (kinds and native types of the resources
    /// findings are about: one copy per distinct value).
    Text
}

impl Text {
    /// One shared copy of `s` per thread (for the texts an export repeats:
    /// kinds, types, regions, accounts, file names). Bounded like the pointer texts.
    pub fn interned(s: &str) -> Text {
        Text(intern(s))
    }
    /// Is this copy held elsewhere too (interned, or cloned)?
    fn is_shared(&self) -> bool {
        Arc::strong_count(&self.0) > 1
    }
}

/// Canonical property names (`docs/inventory.md`), sorted: a name found here
/// is stored as a `&'static str`, so most resources allocate no key at all.
const CANONICAL: &[&str] = &[
    "&str] = &[",
    "access_key_last_used",
    "access_keys",
    "access_keys_active",
    "access_logging",
    "access_logging_target",
    "actions",
    "activity_log_export",
    "added_capabilities",
    "admin_user_enabled",
    "allow_privilege_escalation",
    "anonymous_pull",
    "api_key_required",
    "apparmor_profile",
    "attached",
    "audit_exempted_members",
    "audit_log_types",
    "audit_logging",
    "auditing_enabled",
    "authorization_type",
    "auto_create_subnetworks",
    "auto_minor_version_upgrade",
    "auto_repair",
    "auto_upgrade",
    "auto_upgrade_channel",
    "automount_service_account_token",
    "azure_rbac",
    "backup_enabled",
    "backup_retention_days",
    "binary_authorization",
    "blob_soft_delete_days",
    "broad_subjects",
    "bucket_policy",
    "capabilities_add",
    "capabilities_drop",
    "client_certificate",
    "cloudwatch_integration",
    "cluster_scope",
    "confidential_computing",
    "console_access",
    "container_soft_delete_days",
    "container_type",
    "cpu_limit",
    "cross_tenant_replication",
    "custom_role",
    "database_engine",
    "database_flags",
    "database_version",
    "default_cpu_limit",
    "default_group",
    "default_memory_limit",
    "default_service_account_full_access",
    "default_service_account_subjects",
    "defender_arm",
    "defender_containers",
    "defender_enabled",
    "defender_key_vault",
    "defender_plan",
    "defender_servers",
    "defender_sql",
    "defender_storage",
    "deletion_protection",
    "deletion_window_days",
    "detailed_monitoring",
    "diagnostic_logs",
    "disk_encryption",
    "dnssec_algorithms",
    "dnssec_enabled",
    "drop_invalid_headers",
    "egress",
    "enabled",
    "encryption_algorithm",
    "encryption_at_host",
    "encryption_at_rest",
    "encryption_in_transit",
    "encryption_key",
    "encryption_key_id",
    "end_ip",
    "entra_admin",
    "entra_only_auth",
    "env_literal_secrets",
    "env_secret_refs",
    "env_variable_count",
    "escalation_verbs",
    "exec_access",
    "expiration_date",
    "flow_logs",
    "ftp_state",
    "geo_redundant_backup",
    "host_ipc",
    "host_network",
    "host_path_volumes",
    "host_pid",
    "host_ports",
    "http_method",
    "https_only",
    "iam_bindings",
    "image",
    "image_digest",
    "image_pull_policy",
    "image_tag",
    "image_tags_immutable",
    "image_type",
    "imdsv2_required",
    "in_vpc",
    "include_children",
    "infrastructure_encryption",
    "ingress",
    "inline_policy_count",
    "integrity_monitoring",
    "intranode_visibility",
    "ip_forwarding",
    "key_ids",
    "key_manager",
    "key_metadata_write",
    "key_policy",
    "key_type",
    "kms_encrypted",
    "lb_type",
    "legacy_metadata_endpoints",
    "legacy_network",
    "local_accounts_disabled",
    "local_auth_disabled",
    "log_exports",
    "log_file_validation",
    "log_filter",
    "logging",
    "logging_enabled",
    "managed_identity",
    "managed_policy_arns",
    "master_authorized_networks",
    "memory_limit",
    "mfa_active",
    "min_tls_version",
    "multi_az",
    "multi_region",
    "namespace",
    "network_default_deny",
    "network_name",
    "network_policy",
    "node_disk_encryption_key",
    "node_to_node_encryption",
    "non_system_subjects",
    "object_lock",
    "os_login",
    "password_auth_disabled",
    "password_last_used",
    "pod_labels",
    "pod_security_enforce",
    "pod_selector",
    "point_in_time_recovery",
    "policies",
    "policy_types",
    "private_endpoint",
    "private_google_access",
    "private_nodes",
    "privilege_escalation_containers",
    "privileged",
    "privileged_containers",
    "proc_mount",
    "project_id",
    "project_ssh_keys_blocked",
    "protection_level",
    "protocol",
    "public_access",
    "public_access_block",
    "public_access_blocked",
    "public_blob_access",
    "public_endpoint",
    "public_ip",
    "public_ip_on_launch",
    "public_members",
    "public_network_access",
    "public_read",
    "publicly_accessible",
    "purge_protection",
    "rbac_authorization",
    "rbac_enabled",
    "read_only_root_filesystem",
    "records_all_resources",
    "records_global_resources",
    "redirects_to_https",
    "release_channel",
    "remote_debugging",
    "replication",
    "require_tls",
    "resource_policy",
    "retention_days",
    "retention_forever",
    "retention_locked",
    "role_ref",
    "root_containers",
    "rotation_enabled",
    "rotation_period_days",
    "run_as_non_root",
    "run_as_user",
    "sas_expiry_policy",
    "scan_on_push",
    "seccomp_profile",
    "secret_like_keys",
    "secrets_encryption",
    "secrets_verbs",
    "secure_boot",
    "serial_port_enabled",
    "service_account_emails",
    "service_account_name",
    "shared_key_access",
    "shielded_nodes",
    "sink_scope",
    "soft_delete",
    "start_ip",
    "subjects",
    "sysctls",
    "target_id",
    "target_type",
    "tls_policy",
    "traffic_type",
    "trust_policy",
    "uniform_access",
    "versioning",
    "visibility",
    "vtpm",
    "wildcard_resources",
    "wildcard_verbs",
    "windows_host_process",
    "workload",
    "workload_identity",
];

/// The canonical name equal to `name`, if it is one (a hash lookup: parsers
/// set several properties per resource).
pub fn canonical_name(name: &str) -> Option<&'static str> {
    use std::collections::HashSet;
    static SET: std::sync::OnceLock<HashSet<&'static str, foldhash::fast::RandomState>> = std::sync::OnceLock::new();
    SET.get_or_init(|| CANONICAL.iter().copied().collect()).get(name).copied()
}

/// A property name: a canonical name without allocation, any other name owned.
fn prop_name(name: &str) -> Cow<'static, str> {
    match canonical_name(name) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(name.to_string()),
    }
}

/// A resource's properties by name: a flat list sorted by name (a handful per
/// resource, so a binary search beats a tree, and one allocation holds them all).
#[derive(Clone, Default, PartialEq)]
pub struct Props(Vec<(Cow<'static, str>, Prop)>);

impl Props {
    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| (**k).cmp(name))
    }
    /// The property called `name`.
    pub fn get(&self, name: &str) -> Option<&Prop> {
        self.find(name).ok().and_then(|i| self.0.get(i)).map(|(_, p)| p)
    }
    /// The property called `name`, a name from [`canonical_name`]: found by
    /// address, as every property of a canonical name is stored with the very
    /// `&'static str` that function returns (one copy of each name).
    pub fn get_canonical(&self, name: &'static str) -> Option<&Prop> {
        self.0.iter().find(|(k, _)| matches!(k, Cow::Borrowed(s) if std::ptr::eq(*s, name))).map(|(_, p)| p)
    }
    /// The property called `name`, mutably.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Prop> {
        match self.find(name) {
            Ok(i) => self.0.get_mut(i).map(|(_, p)| p),
            Err(_) => None,
        }
    }
    /// Set `name`, returning the value it replaces.
    pub fn insert(&mut self, name: &str, prop: Prop) -> Option<Prop> {
        match self.find(name) {
            Ok(i) => self.0.get_mut(i).map(|(_, p)| std::mem::replace(p, prop)),
            Err(i) => {
                self.0.insert(i, (prop_name(name), prop));
                None
            }
        }
    }
    /// Remove `name`.
    pub fn remove(&mut self, name: &str) -> Option<Prop> {
        self.find(name).ok().map(|i| self.0.remove(i).1)
    }
    /// Is `name` set?
    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }
    /// Names, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| &**k)
    }
    /// (name, property), sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Prop)> {
        self.0.iter().map(|(k, p)| (&**k, p))
    }
    /// Drop spare capacity (once a resource is complete).
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
    /// How many properties.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// No properties?
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Props {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Props {
    type Item = (&'a str, &'a Prop);
    type IntoIter = Box<dyn Iterator<Item = (&'a str, &'a Prop)> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl Serialize for Props {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.iter() {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Props {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Props;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of properties")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Props, A::Error> {
                let mut out = Props::default();
                while let Some((k, v)) = map.next_entry::<Cow<'de, str>, Prop>()? {
                    out.insert(&k, v);
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

/// One cloud resource, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Cloud or platform.
    pub provider: Provider,
    /// Canonical kind (see `docs/inventory.md`), e.g. `object_bucket`.
    pub kind: Text,
    /// The source's own type name (`aws_s3_bucket`, `AWS::S3::Bucket`, `Microsoft.Storage/storageAccounts`…).
    pub native_type: Text,
    /// Stable id: Terraform address, ARN, ARM id, CAI name, `namespace/Kind/name`, logical id.
    pub id: Text,
    /// Human name.
    pub name: Text,
    /// Region or location, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Text>,
    /// Account, subscription or project, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Text>,
    /// Where the resource is in the input.
    pub source: SourceRef,
    /// Canonical properties (names in `docs/inventory.md`).
    #[serde(default)]
    pub props: Props,
}

impl Resource {
    /// Look up a property by name.
    pub fn prop(&self, name: &str) -> Option<&Prop> {
        self.props.get(name)
    }
    /// Set a known property read at `pointer` (see [`Pointer::within`]).
    pub fn set(&mut self, name: &str, value: impl Into<Value>, pointer: impl AsRef<str>) {
        let pointer = Pointer::within(&self.source.pointer, pointer.as_ref());
        self.props.insert(name, Prop::Known { value: shared_value(value.into()), pointer });
    }
    /// Set an unknown property read at `pointer`.
    pub fn set_unknown(&mut self, name: &str, reason: impl AsRef<str>, pointer: impl AsRef<str>) {
        let pointer = Pointer::within(&self.source.pointer, pointer.as_ref());
        self.props.insert(name, Prop::Unknown { reason: intern(reason.as_ref()), pointer });
    }
    /// Once the resource is complete: share its repeated texts, store every
    /// property pointer relative to the resource (see [`Pointer::within`]),
    /// and drop spare capacity.
    pub fn finish(&mut self) {
        // Kinds, types, regions, accounts and file names repeat across an
        // export: one copy each. The parsers' hot paths intern them already;
        // a text nothing else holds was not, and is interned here.
        let texts = [Some(&mut self.kind), Some(&mut self.native_type), self.region.as_mut(), self.account.as_mut(), Some(&mut self.source.file)];
        for t in texts.into_iter().flatten().filter(|t| !t.is_shared()) {
            *t = Text::interned(t);
        }
        let base = &self.source.pointer;
        for (_, prop) in self.props.0.iter_mut() {
            let p = prop.pointer_mut();
            *p = std::mem::take(p).relative_to(base);
        }
        self.props.shrink_to_fit();
    }
}

/// How serious a parser diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosticLevel {
    /// Informational (e.g. a resource type we do not assess).
    Info,
    /// Part of the input was skipped.
    Warning,
    /// Part of the input could not be read.
    Error,
}

/// Something a parser wants the user to know about part of the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Severity.
    pub level: DiagnosticLevel,
    /// What happened and what to do, in a sentence.
    pub message: String,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// All resources read from the inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    /// Resources in input order.
    pub resources: Vec<Resource>,
}

impl Inventory {
    /// Resources of one canonical kind.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.kind == kind)
    }
    /// Append another inventory.
    pub fn extend(&mut self, other: Inventory) {
        self.resources.extend(other.resources);
    }
}

/// Escape one JSON pointer token (RFC 6901).
pub fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_are_sorted_and_props_stay_sorted() {
        assert!(CANONICAL.windows(2).all(|w| w[0] < w[1]));
        let mut p = Props::default();
        for n in ["versioning", "zzz_custom", "policies", "ingress"] {
            p.insert(n, Prop::known(true, "/x"));
        }
        assert_eq!(p.keys().collect::<Vec<_>>(), ["ingress", "policies", "versioning", "zzz_custom"]);
        assert!(p.insert("policies", Prop::known(false, "/y")).is_some());
        assert_eq!(p.get("policies").and_then(Prop::value), Some(&Value::Bool(false)));
        assert!(matches!(p.0.first(), Some((Cow::Borrowed(_), _))));
        // Canonical names are found by address, whatever string the caller read them from.
        let admin = canonical_name(&String::from("policies")).unwrap();
        assert_eq!(p.get_canonical(admin), p.get("policies"));
        assert!(p.get_canonical(canonical_name("logging").unwrap()).is_none());
        assert_eq!(canonical_name("zzz_custom"), None);
        assert!(CANONICAL.iter().all(|n| canonical_name(n) == Some(*n)));
    }
}
