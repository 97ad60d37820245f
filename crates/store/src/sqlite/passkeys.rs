//! Readers' passkeys and the WebAuthn ceremonies under way, in SQLite.

use super::{db_err, SqliteStore};
use async_trait::async_trait;
use rostra_core::passkey::{CeremonyKind, NewPasskey, Passkey, PendingCeremony};
use rostra_core::store::PasskeyStore;
use rostra_core::{AccountId, Result, StoreError};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

const COLUMNS: &str = "id, account_id, credential_id, user_handle, rp_id, name, credential, \
     created_at, last_used_at";

fn passkey(r: &SqliteRow) -> Result<Passkey> {
    Ok(Passkey {
        id: r.try_get("id").map_err(db_err)?,
        account_id: AccountId(r.try_get("account_id").map_err(db_err)?),
        credential_id: r.try_get("credential_id").map_err(db_err)?,
        user_handle: r.try_get("user_handle").map_err(db_err)?,
        rp_id: r.try_get("rp_id").map_err(db_err)?,
        name: r.try_get("name").map_err(db_err)?,
        credential: r.try_get("credential").map_err(db_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
        last_used_at: r.try_get("last_used_at").map_err(db_err)?,
    })
}

fn ceremony(r: &SqliteRow, kind: CeremonyKind) -> Result<PendingCeremony> {
    Ok(PendingCeremony {
        id_hash: r.try_get("id_hash").map_err(db_err)?,
        kind,
        account_id: r
            .try_get::<Option<i64>, _>("account_id")
            .map_err(db_err)?
            .map(AccountId),
        rp_id: r.try_get("rp_id").map_err(db_err)?,
        origin: r.try_get("origin").map_err(db_err)?,
        state: r.try_get("state").map_err(db_err)?,
        expires_at: r.try_get("expires_at").map_err(db_err)?,
    })
}

#[async_trait]
impl PasskeyStore for SqliteStore {
    async fn add_passkey(&self, new: NewPasskey) -> Result<Passkey> {
        let id: i64 = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query_scalar(
                        "INSERT INTO passkeys (account_id, credential_id, user_handle, rp_id, \
                         name, credential, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    )
                    .bind(new.account_id.0)
                    .bind(&new.credential_id)
                    .bind(&new.user_handle)
                    .bind(&new.rp_id)
                    .bind(&new.name)
                    .bind(&new.credential)
                    .bind(new.created_at)
                    .fetch_one(c)
                    .await
                    .map_err(db_err)
                })
            })
            .await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM passkeys WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.as_ref()
            .map(passkey)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound.into())
    }

    async fn passkeys_of(&self, account: AccountId) -> Result<Vec<Passkey>> {
        let sql = format!("SELECT {COLUMNS} FROM passkeys WHERE account_id = ? ORDER BY id");
        let rows = sqlx::query(&sql)
            .bind(account.0)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        rows.iter().map(passkey).collect()
    }

    async fn passkey_by_credential(&self, credential_id: &str) -> Result<Option<Passkey>> {
        let sql = format!("SELECT {COLUMNS} FROM passkeys WHERE credential_id = ?");
        let row = sqlx::query(&sql)
            .bind(credential_id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.as_ref().map(passkey).transpose()
    }

    async fn passkey_used(&self, id: i64, credential: &str, now: i64) -> Result<()> {
        let credential = credential.to_string();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "UPDATE passkeys SET credential = ?, last_used_at = ? WHERE id = ?",
                    )
                    .bind(&credential)
                    .bind(now)
                    .bind(id)
                    .execute(c)
                    .await
                    .map_err(db_err)?;
                    Ok(())
                })
            })
            .await
    }

    async fn delete_passkey(&self, account: AccountId, id: i64) -> Result<bool> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query("DELETE FROM passkeys WHERE id = ? AND account_id = ?")
                        .bind(id)
                        .bind(account.0)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(done.rows_affected() > 0)
                })
            })
            .await
    }

    async fn save_ceremony(&self, ceremony: PendingCeremony) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO webauthn_ceremonies (id_hash, kind, account_id, rp_id, \
                         origin, state, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    )
                    .bind(&ceremony.id_hash)
                    .bind(ceremony.kind.as_str())
                    .bind(ceremony.account_id.map(|a| a.0))
                    .bind(&ceremony.rp_id)
                    .bind(&ceremony.origin)
                    .bind(&ceremony.state)
                    .bind(ceremony.expires_at)
                    .execute(c)
                    .await
                    .map_err(db_err)?;
                    Ok(())
                })
            })
            .await
    }

    async fn take_ceremony(
        &self,
        id_hash: &str,
        kind: CeremonyKind,
        now: i64,
    ) -> Result<Option<PendingCeremony>> {
        let id_hash = id_hash.to_string();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let row = sqlx::query(
                        "DELETE FROM webauthn_ceremonies WHERE id_hash = ? \
                         RETURNING id_hash, kind, account_id, rp_id, origin, state, expires_at",
                    )
                    .bind(&id_hash)
                    .fetch_optional(c)
                    .await
                    .map_err(db_err)?;
                    let Some(row) = row else { return Ok(None) };
                    let stored_kind: String = row.try_get("kind").map_err(db_err)?;
                    let found = ceremony(&row, kind)?;
                    Ok((stored_kind == kind.as_str() && found.expires_at > now).then_some(found))
                })
            })
            .await
    }

    async fn delete_expired_ceremonies(&self, now: i64) -> Result<u64> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query("DELETE FROM webauthn_ceremonies WHERE expires_at <= ?")
                        .bind(now)
                        .execute(c)
                        .await
                        .map_err(db_err)?;
                    Ok(done.rows_affected())
                })
            })
            .await
    }
}
