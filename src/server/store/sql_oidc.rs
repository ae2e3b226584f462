//! The OpenID Connect provider's records in SQL (both dialects, one set of statements).
//! A code is used by one conditional `UPDATE … WHERE used_at IS NULL RETURNING`, so
//! exactly one of several concurrent token requests gets it, on any instance.

use super::{
    oidc::{CodeUse, IssuedCode, IssuedToken, OidcStore, StoredKey},
    sql::{column, SqlStore},
    statement::Statement,
    StoreError,
};
use crate::server::domain::clock::Millis;
use async_trait::async_trait;

#[async_trait]
impl OidcStore for SqlStore {
    async fn save_code(&self, code_hash: &str, code: &IssuedCode) -> Result<(), StoreError> {
        self.write(
            Statement::new(
                "INSERT INTO oidc_codes (code_hash, client_id, redirect_uri, phone, nonce, \
             code_challenge, scope, auth_time, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(code_hash.to_string())
            .bind(code.client_id.clone())
            .bind(code.redirect_uri.clone())
            .bind(code.phone.clone())
            .bind(code.nonce.clone())
            .bind(code.code_challenge.clone())
            .bind(code.scope.clone())
            .bind(code.auth_time)
            .bind(code.expires_at),
        )
        .await?;
        Ok(())
    }

    async fn use_code(&self, code_hash: &str, now: Millis) -> Result<CodeUse, StoreError> {
        let row = self
            .write_returning(
                Statement::new(
                    "UPDATE oidc_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL \
             RETURNING client_id, redirect_uri, phone, nonce, code_challenge, scope, \
             auth_time, expires_at",
                )
                .bind(code_hash.to_string())
                .bind(now),
            )
            .await?;
        if let Some(row) = row {
            return Ok(CodeUse::First(IssuedCode {
                client_id: column(&row, "client_id")?,
                redirect_uri: column(&row, "redirect_uri")?,
                phone: column(&row, "phone")?,
                nonce: column(&row, "nonce")?,
                code_challenge: column(&row, "code_challenge")?,
                scope: column(&row, "scope")?,
                auth_time: column(&row, "auth_time")?,
                expires_at: column(&row, "expires_at")?,
            }));
        }
        let known: Option<String> =
            sqlx::query_scalar("SELECT code_hash FROM oidc_codes WHERE code_hash = $1")
                .bind(code_hash.to_string())
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.failed(e))?;
        Ok(if known.is_some() {
            CodeUse::Again
        } else {
            CodeUse::Unknown
        })
    }

    async fn save_token(
        &self,
        token_hash: &str,
        code_hash: &str,
        token: &IssuedToken,
        expires_at: Millis,
    ) -> Result<(), StoreError> {
        self.write(Statement::new(
            "INSERT INTO oidc_tokens (token_hash, code_hash, client_id, phone, scope, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash.to_string())
        .bind(code_hash.to_string())
        .bind(token.client_id.clone())
        .bind(token.phone.clone())
        .bind(token.scope.clone())
        .bind(expires_at)
        )
        .await?;
        Ok(())
    }

    async fn token(
        &self,
        token_hash: &str,
        now: Millis,
    ) -> Result<Option<IssuedToken>, StoreError> {
        let row = sqlx::query(
            "SELECT client_id, phone, scope FROM oidc_tokens \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash.to_string())
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.failed(e))?;
        row.map(|row| {
            Ok(IssuedToken {
                client_id: column(&row, "client_id")?,
                phone: column(&row, "phone")?,
                scope: column(&row, "scope")?,
            })
        })
        .transpose()
    }

    async fn revoke_tokens(&self, code_hash: &str) -> Result<u64, StoreError> {
        Ok(self
            .write(
                Statement::new("DELETE FROM oidc_tokens WHERE code_hash = $1")
                    .bind(code_hash.to_string()),
            )
            .await?)
    }

    async fn signing_keys(&self) -> Result<Vec<StoredKey>, StoreError> {
        let rows = sqlx::query(
            "SELECT kid, alg, private_key, public_jwk, created_at, retired_at FROM oidc_keys \
             ORDER BY created_at DESC, kid",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.failed(e))?;
        rows.iter()
            .map(|row| {
                Ok(StoredKey {
                    kid: column(row, "kid")?,
                    alg: column(row, "alg")?,
                    private_key: column(row, "private_key")?,
                    public_jwk: column(row, "public_jwk")?,
                    created_at: column(row, "created_at")?,
                    retired_at: column(row, "retired_at")?,
                })
            })
            .collect()
    }

    async fn add_signing_key(
        &self,
        key: &StoredKey,
        newer_than: Millis,
    ) -> Result<bool, StoreError> {
        let added = self
            .write(
                Statement::new(
                    "INSERT INTO oidc_keys (kid, alg, private_key, public_jwk, created_at) \
             SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM oidc_keys \
             WHERE alg = $2 AND retired_at IS NULL AND created_at > $6)",
                )
                .bind(key.kid.clone())
                .bind(key.alg.clone())
                .bind(key.private_key.clone())
                .bind(key.public_jwk.clone())
                .bind(key.created_at)
                .bind(newer_than),
            )
            .await?
            == 1;
        if added {
            self.write(
                Statement::new(
                    "UPDATE oidc_keys SET retired_at = $3 WHERE alg = $1 AND retired_at IS NULL \
                 AND (created_at < $3 OR (created_at = $3 AND kid < $2))",
                )
                .bind(key.alg.clone())
                .bind(key.kid.clone())
                .bind(key.created_at),
            )
            .await?;
        }
        Ok(added)
    }

    async fn purge_oidc(
        &self,
        codes_before: Millis,
        tokens_before: Millis,
        keys_before: Millis,
    ) -> Result<u64, StoreError> {
        self.delete_each(&[
            ("DELETE FROM oidc_codes WHERE expires_at < $1", codes_before),
            (
                "DELETE FROM oidc_tokens WHERE expires_at < $1",
                tokens_before,
            ),
            (
                "DELETE FROM oidc_keys WHERE retired_at IS NOT NULL AND retired_at < $1",
                keys_before,
            ),
        ])
        .await
    }
}
