<?php
/**
 * The comments template while Rostra is active: the embed container with the thread's plain
 * HTML inside (the widget replaces it), or a short note when Rostra did not answer.
 *
 * @license GPL-2.0-or-later
 */

defined('ABSPATH') || exit;

$rostra_post = get_post();
if (!$rostra_post || post_password_required($rostra_post)) {
    return;
}
$rostra = rostra_thread_view($rostra_post);
?>
<section id="comments" class="comments-area rostra-comments">
<?php if (!$rostra['open']) : ?>
    <p class="rostra-closed"><?php esc_html_e('Comments are closed.', 'rostra'); ?></p>
<?php endif; ?>
<?php if ($rostra['open']) : ?>
    <div id="rostra-thread"
         data-rostra-site="<?php echo esc_attr($rostra['site']); ?>"
         data-rostra-url="<?php echo esc_url($rostra['url']); ?>"
         data-rostra-title="<?php echo esc_attr($rostra['title']); ?>"
         <?php if ($rostra['sso']) : ?>data-sso-token="<?php echo esc_attr($rostra['sso']); ?>"<?php endif; ?>>
<?php
    if ($rostra['fragment'] !== null) {
        // Rostra's own HTML: it escapes and sanitizes everything it renders.
        echo $rostra['fragment']; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
    } else {
        echo '<p class="rostra-unavailable">' . esc_html__('The comments could not be loaded just now.', 'rostra') . '</p>';
    }
?>
    </div>
    <script src="<?php echo esc_url($rostra['script']); ?>" async></script>
<?php endif; ?>
</section>
