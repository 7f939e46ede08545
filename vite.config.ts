import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'src/web',
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      output: {
        // Libraries change less often than pages: separate chunks cache better.
        manualChunks(id: string) {
          if (
            id.includes('node_modules/react-aria') ||
            id.includes('node_modules/@react-aria') ||
            id.includes('node_modules/@react-stately') ||
            id.includes('node_modules/@internationalized')
          )
            return 'react-aria';
          if (id.includes('node_modules/react') || id.includes('node_modules/scheduler')) return 'react';
          if (id.includes('node_modules/zod')) return 'zod';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
