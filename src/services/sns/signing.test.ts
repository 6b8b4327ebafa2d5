/**
 * Message signing (signing.ts, messages.ts): the string to sign of each message type as AWS's
 * verification page lists its keys, signatures that verify with the served certificate's public key
 * (SHA1withRSA for version 1, SHA256withRSA for 2), and one key per store, made once.
 */
import assert from 'node:assert/strict';
import { createVerify, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { openTestStore } from '../../store/testing.ts';
import { notificationJson, subscriptionConfirmationJson } from './messages.ts';
import { signingKey, stringToSign } from './signing.ts';

const T = new Date('2026-03-01T12:00:00.123Z');

test('the string to sign names the signed keys in order, leaving out the absent ones', () => {
  assert.equal(
    stringToSign({ Type: 'Notification', MessageId: 'id', TopicArn: 'arn', Message: 'm', Timestamp: 't', Subject: 's', UnsubscribeURL: 'u' }),
    'Message\nm\nMessageId\nid\nSubject\ns\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n',
  );
  assert.equal(
    stringToSign({ Type: 'Notification', MessageId: 'id', TopicArn: 'arn', Message: 'm', Timestamp: 't' }),
    'Message\nm\nMessageId\nid\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n',
  );
  assert.equal(
    stringToSign({ Type: 'SubscriptionConfirmation', MessageId: 'id', Token: 'tok', TopicArn: 'arn', Message: 'm', SubscribeURL: 'url', Timestamp: 't' }),
    'Message\nm\nMessageId\nid\nSubscribeURL\nurl\nTimestamp\nt\nToken\ntok\nTopicArn\narn\nType\nSubscriptionConfirmation\n',
  );
});

test('signatures verify with the certificate; the key is made once per store and kept', async () => {
  const store = await openTestStore('sqlite');
  try {
    const first = await signingKey(store, T);
    const again = await signingKey(store, T);
    assert.equal(again.key.id, first.key.id);
    assert.equal((await store.topics.getSigningKey())?.id, first.key.id);
    const cert = new X509Certificate(first.key.certificatePem);
    assert.match(cert.subject, /CN=sns\.amazonaws\.com/);
    const signer = { ...first, publicUrl: 'https://sns.example' };
    for (const [version, algorithm] of [
      ['1', 'RSA-SHA1'],
      ['2', 'RSA-SHA256'],
    ] as const) {
      const m = JSON.parse(
        notificationJson(
          {
            messageId: 'mid',
            topicArn: 'arn:aws:sns:us-east-1:000000000000:t',
            subscriptionArn: 'arn:aws:sns:us-east-1:000000000000:t:x',
            message: 'héllo',
            timestamp: T,
            attributes: {},
          },
          version,
          signer,
        ),
      );
      assert.equal(m.SignatureVersion, version);
      assert.equal(m.Timestamp, '2026-03-01T12:00:00.123Z');
      assert.equal(m.SigningCertURL, `https://sns.example/SimpleNotificationService-${first.key.id}.pem`);
      const ok = createVerify(algorithm).update(stringToSign(m), 'utf8').verify(cert.publicKey, m.Signature, 'base64');
      assert.equal(ok, true, `version ${version}`);
      const forged = createVerify(algorithm)
        .update(stringToSign({ ...m, Message: 'hello' }), 'utf8')
        .verify(cert.publicKey, m.Signature, 'base64');
      assert.equal(forged, false);
    }
    const c = JSON.parse(
      subscriptionConfirmationJson(
        { messageId: 'c', topicArn: 'arn:aws:sns:us-east-1:000000000000:t', token: 'tok', timestamp: T, type: 'SubscriptionConfirmation' },
        '1',
        signer,
      ),
    );
    assert.equal(c.SubscribeURL, 'https://sns.example/?Action=ConfirmSubscription&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Token=tok');
    assert.equal(createVerify('RSA-SHA1').update(stringToSign(c), 'utf8').verify(cert.publicKey, c.Signature, 'base64'), true);
  } finally {
    await store.close();
  }
});
