console.error('short child done');
