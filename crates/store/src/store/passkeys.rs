//! Readers' passkeys and the WebAuthn ceremonies under way.

use super::{Backend, SqlStore};
use crate::rows::{Cells, FromRow};
use crate::sql::{query, Db};
use async_trait::async_trait;
use rostra_core::passkey::{CeremonyKind, NewPasskey, Passkey, PendingCeremony};
use rostra_core::store::PasskeyStore;
use rostra_core::{AccountId, Result, StoreError};

const COLUMNS: &str = "id, account_id, credential_id, user_handle, rp_id, name, credential, \
     created_at, last_used_at";

impl FromRow for Passkey {
    fn from_row(r: &impl Cells) -> Result<Passkey> {
        Ok(Passkey {
            id: r.cell("id")?,
            account_id: AccountId(r.cell("account_id")?),
            credential_id: r.cell("credential_id")?,
            user_handle: r.cell("user_handle")?,
            rp_id: r.cell("rp_id")?,
            name: r.cell("name")?,
            credential: r.cell("credential")?,
            created_at: r.cell("created_at")?,
            last_used_at: r.cell("last_used_at")?,
        })
    }
}

/// A ceremony as stored: its kind as written, and the rest.
struct StoredCeremony {
    kind: String,
    account_id: Option<AccountId>,
    id_hash: String,
    rp_id: String,
    origin: String,
    state: String,
    expires_at: i64,
}

impl FromRow for StoredCeremony {
    fn from_row(r: &impl Cells) -> Result<StoredCeremony> {
        Ok(StoredCeremony {
            kind: r.cell("kind")?,
            account_id: r.cell::<Option<i64>>("account_id")?.map(AccountId),
            id_hash: r.cell("id_hash")?,
            rp_id: r.cell("rp_id")?,
            origin: r.cell("origin")?,
            state: r.cell("state")?,
            expires_at: r.cell("expires_at")?,
        })
    }
}

impl StoredCeremony {
    /// The ceremony, when it is of the kind asked for and still running at `now`.
    fn usable(self, kind: CeremonyKind, now: i64) -> Option<PendingCeremony> {
        (self.kind == kind.as_str() && self.expires_at > now).then_some(PendingCeremony {
            id_hash: self.id_hash,
            kind,
            account_id: self.account_id,
            rp_id: self.rp_id,
            origin: self.origin,
            state: self.state,
            expires_at: self.expires_at,
        })
    }
}

#[async_trait]
impl<B: Backend> PasskeyStore for SqlStore<B> {
    async fn add_passkey(&self, new: NewPasskey) -> Result<Passkey> {
        let sql = "INSERT INTO passkeys (account_id, credential_id, user_handle, rp_id, name, \
                   credential, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
        let args = vec![
            new.account_id.0.into(),
            new.credential_id.into(),
            new.user_handle.into(),
            new.rp_id.into(),
            new.name.into(),
            new.credential.into(),
            new.created_at.into(),
        ];
        let id = self.write_id(sql, args).await?;
        let sql = format!("SELECT {COLUMNS} FROM passkeys WHERE id = ?");
        self.reader()
            .fetch_optional(query(&sql).bind(id))
            .await?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn passkeys_of(&self, account: AccountId) -> Result<Vec<Passkey>> {
        let sql = format!("SELECT {COLUMNS} FROM passkeys WHERE account_id = ? ORDER BY id");
        self.reader().fetch_all(query(&sql).bind(account.0)).await
    }

    async fn passkey_by_credential(&self, credential_id: &str) -> Result<Option<Passkey>> {
        let sql = format!("SELECT {COLUMNS} FROM passkeys WHERE credential_id = ?");
        self.reader()
            .fetch_optional(query(&sql).bind(credential_id))
            .await
    }

    async fn passkey_used(&self, id: i64, credential: &str, now: i64) -> Result<()> {
        let sql = "UPDATE passkeys SET credential = ?, last_used_at = ? WHERE id = ?";
        let args = vec![credential.into(), now.into(), id.into()];
        self.write_one(sql, args).await.map(drop)
    }

    async fn delete_passkey(&self, account: AccountId, id: i64) -> Result<bool> {
        let sql = "DELETE FROM passkeys WHERE id = ? AND account_id = ?";
        Ok(self
            .write_one(sql, vec![id.into(), account.0.into()])
            .await?
            > 0)
    }

    async fn save_ceremony(&self, ceremony: PendingCeremony) -> Result<()> {
        let sql = "INSERT INTO webauthn_ceremonies (id_hash, kind, account_id, rp_id, origin, \
                   state, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
        let args = vec![
            ceremony.id_hash.into(),
            ceremony.kind.as_str().into(),
            ceremony.account_id.map(|a| a.0).into(),
            ceremony.rp_id.into(),
            ceremony.origin.into(),
            ceremony.state.into(),
            ceremony.expires_at.into(),
        ];
        self.write_one(sql, args).await.map(drop)
    }

    async fn take_ceremony(
        &self,
        id_hash: &str,
        kind: CeremonyKind,
        now: i64,
    ) -> Result<Option<PendingCeremony>> {
        let id_hash = id_hash.to_string();
        self.write(move |c| {
            Box::pin(async move {
                let q = query(
                    "DELETE FROM webauthn_ceremonies WHERE id_hash = ? \
                     RETURNING id_hash, kind, account_id, rp_id, origin, state, expires_at",
                );
                let found: Option<StoredCeremony> = c.fetch_optional(q.bind(&id_hash)).await?;
                Ok(found.and_then(|stored| stored.usable(kind, now)))
            })
        })
        .await
    }

    async fn delete_expired_ceremonies(&self, now: i64) -> Result<u64> {
        let sql = "DELETE FROM webauthn_ceremonies WHERE expires_at <= ?";
        self.write_one(sql, vec![now.into()]).await
    }
}
