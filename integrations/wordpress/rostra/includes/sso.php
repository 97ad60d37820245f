<?php
/**
 * Signing logged-in WordPress users into Rostra: a short-lived HS256 token made with the
 * site's SSO secret (see Rostra's docs/identity.md), handed to the widget in the page.
 *
 * @license GPL-2.0-or-later
 */

defined('ABSPATH') || exit;

/** URL-safe base64 without padding, as JWTs spell it. */
function rostra_base64url(string $data): string {
    return rtrim(strtr(base64_encode($data), '+/', '-_'), '=');
}

/** An HS256 JWT of `$claims` signed with `$secret`. */
function rostra_jwt(array $claims, string $secret): string {
    $head = rostra_base64url(wp_json_encode(['alg' => 'HS256', 'typ' => 'JWT']));
    $body = rostra_base64url(wp_json_encode($claims));
    $signature = rostra_base64url(hash_hmac('sha256', "$head.$body", $secret, true));
    return "$head.$body.$signature";
}

/**
 * The claims for a WordPress user: their id, display name, e-mail address and avatar;
 * administrators and editors (who may edit others' posts) are marked as staff.
 */
function rostra_sso_claims(WP_User $user, int $now): array {
    $claims = [
        'id' => (string) $user->ID,
        'name' => $user->display_name !== '' ? $user->display_name : $user->user_login,
        'email' => $user->user_email,
        'aud' => rostra_settings()['site'],
        'iat' => $now,
        'exp' => $now + 10 * MINUTE_IN_SECONDS,
    ];
    $avatar = get_avatar_url($user->ID);
    if (is_string($avatar) && preg_match('#^https?://#', $avatar)) {
        $claims['avatar'] = $avatar;
    }
    if (user_can($user, 'edit_others_posts')) {
        $claims['role'] = 'staff';
    }
    return $claims;
}

/** The token for the user viewing the page, or null (a guest, or no SSO secret set). */
function rostra_sso_token(): ?string {
    $secret = rostra_settings()['sso_secret'];
    $user = wp_get_current_user();
    if ($secret === '' || !$user->exists()) {
        return null;
    }
    return rostra_jwt(rostra_sso_claims($user, time()), $secret);
}
